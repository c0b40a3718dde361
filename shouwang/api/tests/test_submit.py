import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.core.models import LogEntry
from shouwang.screening.models import Flag

from .base import AFTERNOON, MORNING, TODAY, ApiTestCase, answers


@freeze_time(MORNING)
class SubmitCheckInTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.accept_notice(cls.student_a, cls.student_b, cls.counsellor_a)

    def test_it_records_todays_checkin(self):
        self.login(self.student)
        body = answers(location="home", province="14", city="1401", note=" 在家 ")
        response = self.submit(body)
        self.assertEqual(response.status_code, 201)
        checkin = CheckIn.objects.get(person=self.student_a)
        self.assertEqual(
            (checkin.date, checkin.incident, checkin.late, checkin.location, checkin.city),
            (TODAY, self.incident, False, "home", "1401"),
        )
        self.assertEqual(checkin.temperature, Decimal("36.5"))
        self.assertEqual(checkin.note, "在家")
        self.assertEqual(str(checkin.idempotency_key), body["key"])
        status = response.json()
        self.assertTrue(status["submitted"])
        self.assertEqual(status["answers"]["place"], "山西省 太原市")
        self.assertTrue(LogEntry.objects.get_for_object(checkin).exists())

    def test_the_same_key_again_writes_nothing(self):
        self.login(self.student)
        body = answers()
        self.assertEqual(self.submit(body).status_code, 201)
        again = self.submit({**body, "temperature": 36.9})
        self.assertEqual(again.status_code, 200)
        checkin = CheckIn.objects.get(person=self.student_a)
        self.assertEqual(checkin.temperature, Decimal("36.5"))
        self.assertEqual(LogEntry.objects.get_for_object(checkin).count(), 1)

    def test_a_new_key_corrects_the_days_checkin(self):
        self.login(self.student)
        self.submit(answers())
        response = self.submit(answers(symptoms=["cough"], temperature=37.0))
        self.assertEqual(response.status_code, 200)
        checkin = CheckIn.objects.get(person=self.student_a)
        self.assertEqual(checkin.symptoms, ["cough"])
        self.assertEqual(response.json()["answers"]["symptoms"], ["cough"])

    def test_it_counts_a_checkin_after_the_deadline_as_late(self):
        self.login(self.student)
        with freeze_time(AFTERNOON):
            response = self.submit(answers())
        self.assertEqual(response.status_code, 201)
        self.assertTrue(response.json()["late"])
        self.assertTrue(CheckIn.objects.get(person=self.student_a).late)

    def test_it_flags_a_fever(self):
        self.login(self.student)
        self.submit(answers(temperature=38.2))
        self.assertEqual(
            list(Flag.objects.filter(person=self.student_a).values_list("reason", flat=True)),
            [Flag.Reason.FEVER],
        )

    def test_it_records_only_the_users_own_checkin(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.submit(answers()).status_code, 201)
        self.assertEqual(
            list(CheckIn.objects.values_list("person", flat=True)), [self.counsellor_a.pk]
        )

    def test_it_rejects_bad_answers_with_the_pages_messages_per_field(self):
        self.login(self.student)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = answers(location="home", province="14", city="3201", temperature=43)
        response = self.submit(body)
        self.assertEqual(response.status_code, 422)
        error = response.json()
        self.assertEqual(error["code"], "invalid")
        self.assertEqual(set(error["errors"]), {"city", "temperature"})
        self.assertEqual(
            error["errors"]["temperature"],
            [
                {
                    "message": "Enter a temperature between 35.0 and 42.0 °C, such as 36.5.",
                    "code": "max_value",
                }
            ],
        )
        self.assertIn("山西省", error["errors"]["city"][0]["message"])
        self.assertFalse(CheckIn.objects.exists())

    def test_it_asks_for_the_place_of_someone_off_campus(self):
        self.login(self.student)
        response = self.submit(answers(location="home"))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(list(response.json()["errors"]), ["province"])

    def test_it_rejects_an_unknown_choice(self):
        self.login(self.student)
        response = self.submit(answers(location="moon", symptoms=["hiccups"]))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"location", "symptoms"})

    def test_it_rejects_wrong_types_and_missing_answers_in_the_same_shape(self):
        self.login(self.student)
        body = answers(symptoms="cough", contact_with_case="maybe")
        del body["stayed_in_risk_area"]
        response = self.submit(body)
        self.assertEqual(response.status_code, 422)
        errors = response.json()["errors"]
        self.assertEqual(
            {name: [error["code"] for error in messages] for name, messages in errors.items()},
            {
                "symptoms": ["list_type"],
                "contact_with_case": ["bool_parsing"],
                "stayed_in_risk_area": ["missing"],
            },
        )
        self.assertTrue(all(error["message"] for error in errors["symptoms"]))

    def test_it_tells_a_wrong_type_in_chinese_by_default(self):
        self.login(self.student)
        response = self.submit(answers(temperature=""))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"],
            {"temperature": [{"message": "输入一个数字。", "code": "decimal_parsing"}]},
        )

    def test_it_tells_wrong_types_in_english_when_asked(self):
        self.login(self.student)
        body = answers(temperature="", key="not-a-key", contact_with_case="maybe", note=7)
        response = self.submit(body, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            {name: errors[0]["message"] for name, errors in response.json()["errors"].items()},
            {
                "temperature": "Enter a number.",
                "key": "Enter a valid UUID.",
                "contact_with_case": "Enter true or false.",
                "note": "Enter text.",
            },
        )

    def test_it_rejects_a_body_that_is_not_json(self):
        self.login(self.student)
        response = self.submit("location=campus")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(list(response.json()["errors"]), ["__all__"])

    def test_it_refuses_someone_before_they_accept_the_privacy_notice(self):
        self.login(self.volunteer)
        response = self.submit(answers())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "privacy_notice")
        self.assertFalse(CheckIn.objects.exists())

    def test_it_refuses_someone_no_incident_covers(self):
        self.incident.closed_at = MORNING - dt.timedelta(hours=1)
        self.incident.save(update_fields=["closed_at"])
        self.login(self.student)
        response = self.submit(answers())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "not_required")
        self.assertFalse(CheckIn.objects.exists())

    def test_it_refuses_a_login_with_no_person(self):
        self.admin.person = None
        self.admin.save(update_fields=["person"])
        self.login(self.admin)
        self.assertEqual(self.submit(answers()).status_code, 403)

    def test_anonymous_gets_401(self):
        response = self.submit(answers())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "not_authenticated")

    def test_it_requires_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.student)
        url = reverse("api:checkin_submit")
        refused = client.post(url, answers(), content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["code"], "csrf_failed")
        self.assertFalse(CheckIn.objects.exists())
        # A page of the site hands out the token, as a browser would get it.
        client.get(reverse("checkins:today"))
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        accepted = client.post(
            url, answers(), content_type="application/json", HTTP_X_CSRFTOKEN=token
        )
        self.assertEqual(accepted.status_code, 201)

    def test_a_multipart_body_without_its_boundary_is_a_json_400_without_a_traceback(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.student)
        client.get(reverse("checkins:today"))
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        with self.assertLogs("django", "WARNING") as logs:
            response = client.post(
                reverse("api:checkin_submit"),
                b"--x\r\n",
                content_type="multipart/form-data",
                HTTP_X_CSRFTOKEN=token,
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(response.json()["code"], "bad_request")
        self.assertEqual([record.exc_info for record in logs.records], [None] * len(logs.records))
        self.assertFalse(CheckIn.objects.exists())

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    def test_a_body_too_large_is_a_json_400(self):
        self.login(self.student)
        with self.assertLogs("django", "WARNING"):
            response = self.submit(answers(note="很长" * 100), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"], "The request's body could not be read.")
        self.assertFalse(CheckIn.objects.exists())

    def test_a_retried_key_is_not_a_new_submission_for_someone_else(self):
        key = str(uuid.uuid4())
        self.login(self.student)
        self.submit(answers(key=key))
        self.login(self.student_b_user)
        self.assertEqual(self.submit(answers(key=key)).status_code, 201)
        self.assertEqual(CheckIn.objects.count(), 2)
