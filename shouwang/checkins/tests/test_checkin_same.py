""" "Same as yesterday" shows yesterday's answers and asks for a confirmation:
a re-attestation, never a silent copy."""

import datetime as dt

from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.core.models import LogEntry

from .test_checkin import URL, CheckInTestCase, beijing, block

TODAY = dt.date(2022, 4, 15)
YESTERDAY = dt.date(2022, 4, 14)


@freeze_time(beijing(2022, 4, 15, 8, 31))
class SameAsYesterdayTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)
        self.yesterday = self.make_checkin(
            YESTERDAY,
            location="home",
            province="14",
            city="1407",
            symptoms=["cough"],
            temperature="36.9",
            stayed_in_risk_area=True,
            note="在家隔离第三天",
        )

    def test_the_form_offers_it_when_there_is_a_checkin_yesterday(self):
        response = self.client.get(URL)
        self.assertContains(response, 'data-testid="same-as-yesterday"')
        self.assertContains(response, 'href="/checkin/?show=same"')

    def test_the_form_does_not_offer_it_without_a_checkin_yesterday(self):
        self.yesterday.delete()
        self.assertNotContains(self.client.get(URL), 'data-testid="same-as-yesterday"')

    def test_it_shows_yesterdays_answers_and_writes_nothing(self):
        response = self.client.get(URL, {"show": "same"})
        answers = block(response, **{"data-testid": "yesterday"})
        self.assertIn("山西省 晋中市", answers)
        self.assertIn("cough", answers)
        self.assertIn("在家隔离第三天", answers)
        self.assertContains(response, 'data-testid="confirm-same"')
        self.assertFalse(CheckIn.objects.filter(date=TODAY).exists())

    def test_confirming_records_yesterdays_answers_for_today(self):
        form = self.client.get(URL, {"show": "same"}).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data["temperature"] = ""
        response = self.client.post(URL, {k: v for k, v in data.items() if v is not None})
        self.assertRedirects(response, URL)
        today = CheckIn.objects.get(date=TODAY)
        self.assertEqual(
            (today.location, today.province, today.city, today.symptoms, today.note),
            ("home", "14", "1407", ["cough"], "在家隔离第三天"),
        )
        self.assertTrue(today.stayed_in_risk_area)
        self.assertFalse(today.contact_with_case)
        entry = LogEntry.objects.get_for_object(today).get()
        self.assertTrue(entry.additional_data["same_as_yesterday"])

    def test_yesterdays_temperature_is_not_carried_over(self):
        response = self.client.get(URL, {"show": "same"})
        self.assertIsNone(response.context["form"]["temperature"].value())
        self.assertNotIn("36.9", block(response, **{"data-testid": "yesterday"}))

    def test_the_confirmation_page_holds_the_answers_it_shows(self):
        response = self.client.get(URL, {"show": "same"})
        html = response.content.decode()
        for hidden in (
            '<input type="hidden" name="location" value="home"',
            '<input type="hidden" name="province" value="14"',
            '<input type="hidden" name="city" value="1407"',
            '<input type="hidden" name="symptoms" value="cough"',
            '<input type="hidden" name="health" value="unwell"',
            '<input type="hidden" name="stayed_in_risk_area" value="yes"',
        ):
            self.assertIn(hidden, html)

    def test_something_changed_opens_the_form_filled_with_yesterdays_answers(self):
        response = self.client.get(URL, {"show": "yesterday"})
        form = response.context["form"]
        self.assertEqual(form["city"].value(), "1407")
        self.assertEqual(form["note"].value(), "在家隔离第三天")
        self.assertIsNone(form["temperature"].value())
        self.assertContains(response, '<option value="1407" selected>晋中市</option>', html=True)
        self.assertFalse(CheckIn.objects.filter(date=TODAY).exists())

    def test_once_checked_in_today_it_shows_the_receipt_instead(self):
        self.make_checkin(TODAY)
        response = self.client.get(URL, {"show": "same"})
        self.assertContains(response, 'data-testid="receipt"')
        self.assertNotContains(response, 'data-testid="confirm-same"')
