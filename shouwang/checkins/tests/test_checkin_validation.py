"""Every bad answer gets its message next to its own field, and nothing else the
person typed is lost."""

from django.test.html import parse_html
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn

from .test_checkin import URL, CheckInTestCase, beijing, block, find

NOTE = "请保留这句话"


@freeze_time(beijing(2022, 4, 15, 8, 31))
class BadInputTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def assert_refused(self, field: str, **changes):
        """Submitting `changes` is refused with a message in `field`'s block,
        and the other answers come back as given."""
        data = self.answers(note=NOTE, location="home", province="14", city="1401")
        data.update(changes)
        response = self.client.post(URL, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CheckIn.objects.exists())
        errors = response.context["form"].errors
        self.assertEqual(list(errors), [field], errors)
        html = block(response, **{"data-field": field})
        self.assertIn("invalid-feedback", html)
        for message in errors[field]:
            self.assertIn(message, html)
        if field != "note":
            self.assertIn(NOTE, block(response, **{"data-field": "note"}))
        # The page keeps the key: submitting the corrected form is the same submission.
        self.assertContains(response, f'value="{data["key"]}"')
        return response

    def test_location_must_be_answered(self):
        self.assert_refused("location", location="")

    def test_location_must_be_one_of_the_three(self):
        self.assert_refused("location", location="moon")

    def test_off_campus_needs_a_province(self):
        response = self.assert_refused("province", province="", city="")
        self.assertEqual(
            response.context["form"].errors["province"], ["Choose the province you are in."]
        )

    def test_the_province_must_be_on_the_list(self):
        self.assert_refused("province", province="99", city="")

    def test_off_campus_needs_a_city(self):
        response = self.assert_refused("city", city="")
        # The province stays chosen and its cities are there to pick from.
        self.assertContains(response, '<option value="14" selected>山西省</option>', html=True)
        self.assertContains(response, '<option value="1401">太原市</option>', html=True)

    def test_the_city_must_belong_to_the_province(self):
        response = self.assert_refused("city", city="110101")  # 北京东城区 is not in 山西
        self.assertEqual(
            response.context["form"].errors["city"],
            ["That city is not in 山西省: choose one of its cities."],
        )

    def test_health_must_be_answered(self):
        self.assert_refused("health", health="")

    def test_health_must_be_well_or_not(self):
        self.assert_refused("health", health="so-so")

    def test_not_well_needs_a_symptom(self):
        self.assert_refused("symptoms", health="unwell")

    def test_well_with_symptoms_is_contradictory(self):
        response = self.assert_refused("symptoms", health="normal", symptoms=["cough"])
        # The ticked symptom is still ticked.
        cough = find(parse_html(response.content.decode()), id="id_symptoms_1")
        self.assertIsNotNone(cough)
        assert cough is not None
        self.assertIn(("checked", None), cough.attributes)

    def test_symptoms_come_from_the_list(self):
        self.assert_refused("symptoms", health="unwell", symptoms=["plague"])

    def test_temperature_must_be_a_number(self):
        self.assert_refused("temperature", temperature="hot")

    def test_temperature_below_35_is_refused(self):
        self.assert_refused("temperature", temperature="34.9")

    def test_temperature_above_42_is_refused(self):
        self.assert_refused("temperature", temperature="42.1")

    def test_temperature_has_one_decimal_place(self):
        self.assert_refused("temperature", temperature="36.55")

    def test_contact_must_be_answered(self):
        self.assert_refused("contact_with_case", contact_with_case="")

    def test_contact_is_yes_or_no(self):
        self.assert_refused("contact_with_case", contact_with_case="maybe")

    def test_risk_area_must_be_answered(self):
        self.assert_refused("stayed_in_risk_area", stayed_in_risk_area="")

    def test_the_note_has_a_limit(self):
        response = self.assert_refused("note", note="长" * 501)
        self.assertIn("长" * 501, block(response, **{"data-field": "note"}))

    def test_a_missing_key_asks_to_submit_again_at_the_top(self):
        data = self.answers(note=NOTE)
        del data["key"]
        response = self.client.post(URL, data)
        self.assertFalse(CheckIn.objects.exists())
        self.assertIn("out of date", block(response, **{"data-testid": "form-errors"}))
        self.assertContains(response, NOTE)


@freeze_time(beijing(2022, 4, 15, 8, 31))
class TemperatureTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def recorded(self, typed: str) -> str:
        CheckIn.objects.all().delete()
        response = self.submit(temperature=typed)
        self.assertEqual(response.status_code, 302, typed)
        return str(CheckIn.objects.get().temperature)

    def test_the_bounds_are_accepted(self):
        self.assertEqual(self.recorded("35.0"), "35.0")
        self.assertEqual(self.recorded("42"), "42.0")

    def test_it_is_optional(self):
        self.submit(temperature="")
        self.assertIsNone(CheckIn.objects.get().temperature)

    def test_what_phone_keyboards_type_is_understood(self):
        self.assertEqual(self.recorded("36.5℃"), "36.5")
        self.assertEqual(self.recorded("３６．８"), "36.8")
        self.assertEqual(self.recorded(" 36,6 度"), "36.6")
        self.assertEqual(self.recorded("37.2°C"), "37.2")


@freeze_time(beijing(2022, 4, 15, 8, 31))
class PlaceTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def test_on_campus_needs_no_province_and_keeps_none(self):
        # Chose "at home" and a province first, then changed their mind.
        self.submit(location="campus", province="14", city="9999")
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.province, checkin.city), ("", ""))

    def test_elsewhere_records_province_and_city(self):
        self.submit(location="elsewhere", province="31", city="310104")
        checkin = CheckIn.objects.get()
        self.assertEqual(
            (checkin.location, checkin.province, checkin.city), ("elsewhere", "31", "310104")
        )

    def test_a_corrected_form_submits_with_the_same_key(self):
        data = self.answers(location="home", province="14", city="")
        self.client.post(URL, data)
        response = self.client.post(URL, {**data, "city": "1401"})
        self.assertRedirects(response, URL)
        self.assertEqual(CheckIn.objects.get().city, "1401")

    def test_one_forms_province_never_fills_another_forms_city_list(self):
        # The check-in forms share their fields, all but the city's.
        refused = self.client.post(URL, self.answers(location="home", province="14", city=""))
        self.assertIn('value="1401"', block(refused, **{"data-field": "city"}))
        self.assertIn("aria-invalid", block(refused, **{"data-field": "city"}))
        fresh = block(self.client.get(f"{URL}?show=change"), **{"data-field": "city"})
        self.assertNotIn('value="1401"', fresh)
        self.assertNotIn("aria-invalid", fresh)
        shanghai = self.client.post(URL, self.answers(location="home", province="31", city=""))
        self.assertIn('value="310104"', block(shanghai, **{"data-field": "city"}))
        self.assertNotIn('value="1401"', block(shanghai, **{"data-field": "city"}))
