import datetime as dt
from decimal import Decimal

from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.lib.clock import beijing

from .base import AFTERNOON, MORNING, ApiTestCase


@freeze_time(MORNING)
class MyCheckInTestCase(ApiTestCase):
    url = reverse("api:checkin_me")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.accept_notice(cls.student_a)

    def checkin(self, person, **fields) -> CheckIn:
        at = beijing(2022, 4, 15, 8, 12)
        values = {
            "person": person,
            "incident": self.incident,
            "date": dt.date(2022, 4, 15),
            "submitted_at": at,
            "updated_at": at,
            "location": "campus",
        }
        values.update(fields)
        return CheckIn.objects.create(**values)

    def test_it_shows_the_deadline_and_that_i_have_not_checked_in(self):
        self.login(self.student)
        status = self.client.get(self.url).json()
        self.assertEqual(status["date"], "2022-04-15")
        self.assertTrue(status["required"])
        self.assertEqual(
            status["incident"],
            {"id": self.incident.pk, "title": "并州疫情校园封控", "level": 2},
        )
        self.assertEqual(status["deadline"], "2022-04-15T10:00:00+08:00")
        self.assertTrue(status["privacy_notice_accepted"])
        self.assertFalse(status["submitted"])
        self.assertFalse(status["overdue"])
        self.assertIsNone(status["answers"])

    def test_it_shows_my_answers_once_submitted(self):
        self.checkin(
            self.student_a,
            location="home",
            province="14",
            city="1402",
            symptoms=["cough"],
            temperature=Decimal("37.4"),
        )
        self.login(self.student)
        status = self.client.get(self.url).json()
        self.assertTrue(status["submitted"])
        self.assertEqual(status["submitted_at"], "2022-04-15T08:12:00+08:00")
        self.assertFalse(status["late"])
        self.assertEqual(
            status["answers"],
            {
                "location": "home",
                "province": "14",
                "city": "1402",
                "place": "山西省 大同市",
                "symptoms": ["cough"],
                "temperature": 37.4,
                "contact_with_case": False,
                "stayed_in_risk_area": False,
                "note": "",
            },
        )

    def test_it_says_when_i_am_overdue(self):
        self.login(self.student)
        with freeze_time(AFTERNOON):
            status = self.client.get(self.url).json()
        self.assertTrue(status["past_deadline"])
        self.assertTrue(status["overdue"])

    def test_it_says_when_i_still_have_to_accept_the_notice(self):
        self.login(self.student_b_user)
        self.assertFalse(self.client.get(self.url).json()["privacy_notice_accepted"])

    def test_it_never_shows_someone_elses_checkin(self):
        self.checkin(self.student_b)
        self.login(self.student)
        self.assertFalse(self.client.get(self.url).json()["submitted"])

    def test_it_says_nothing_is_required_without_an_open_incident(self):
        self.incident.closed_at = MORNING - dt.timedelta(days=1)
        self.incident.save(update_fields=["closed_at"])
        self.login(self.student)
        status = self.client.get(self.url).json()
        self.assertFalse(status["required"])
        self.assertIsNone(status["incident"])
        self.assertIsNone(status["deadline"])

    def test_a_login_with_no_person_has_nothing_to_report(self):
        self.admin.person = None
        self.admin.save(update_fields=["person"])
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["required"])

    def test_anonymous_gets_401(self):
        self.assertEqual(self.client.get(self.url).status_code, 401)
