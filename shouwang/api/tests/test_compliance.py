import datetime as dt

from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.compliance.tallies import keep_tallies
from shouwang.lib.clock import beijing
from shouwang.people.models import AdminClass, Person
from shouwang.test import make_person

from .base import MORNING, TODAY, ApiTestCase

URL = reverse("api:compliance")


@freeze_time(MORNING)
class ComplianceTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        at = beijing(2022, 4, 15, 8, 0)
        # 张三 (class A) on time with a fever; 李四 (class B) reported yesterday only, late.
        CheckIn.objects.create(
            person=cls.student_a,
            incident=cls.incident,
            date=TODAY,
            submitted_at=at,
            updated_at=at,
            location="campus",
            temperature="37.8",
        )
        CheckIn.objects.create(
            person=cls.student_b,
            incident=cls.incident,
            date=TODAY - dt.timedelta(days=1),
            submitted_at=at + dt.timedelta(hours=3),
            updated_at=at,
            late=True,
            location="campus",
        )

    def rows(self, response) -> dict[str, dict]:
        return {row["name"]: row for row in response.json()["classes"]}

    def test_a_counsellor_sees_only_their_own_classes(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["incident"]["id"], self.incident.pk)
        self.assertEqual(body["date"], "2022-04-15")
        self.assertEqual(body["deadline"], "2022-04-15T10:00:00+08:00")
        self.assertEqual(
            body["classes"],
            [
                {
                    "kind": "class",
                    "id": self.class_a.pk,
                    "name": "计科2001",
                    "expected": 1,
                    "reported": 1,
                    "missing": 0,
                    "late": 0,
                    "abnormal": 1,
                    "percent": 100,
                }
            ],
        )
        self.assertEqual(body["total"]["expected"], 1)

    def test_the_other_counsellor_sees_the_other_class(self):
        self.login(self.counsellor_b_user)
        rows = self.rows(self.client.get(URL))
        self.assertEqual(set(rows), {"信管2101"})
        self.assertEqual((rows["信管2101"]["expected"], rows["信管2101"]["missing"]), (2, 2))

    def test_a_leader_sees_every_class_and_the_people_in_none(self):
        self.login(self.leader)
        body = self.client.get(URL).json()
        kinds = [row["kind"] for row in body["classes"]]
        self.assertEqual(kinds, ["class", "class", "unit"])
        self.assertEqual(body["total"]["expected"], Person.objects.count())
        self.assertEqual(body["total"]["reported"], 1)

    def test_an_earlier_day_counts_that_days_checkins(self):
        self.login(self.counsellor_b_user)
        rows = self.rows(self.client.get(URL, {"date": "2022-04-14"}))
        self.assertEqual((rows["信管2101"]["reported"], rows["信管2101"]["late"]), (1, 1))

    def test_students_and_volunteers_get_403(self):
        for user in (self.student, self.volunteer):
            self.login(user)
            with self.subTest(user=user):
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json()["code"], "forbidden")
                # Not even bad input tells them anything else.
                self.assertEqual(self.client.get(URL, {"date": "x"}).status_code, 403)

    def test_anonymous_gets_401(self):
        self.assertEqual(self.client.get(URL).status_code, 401)

    def test_a_day_not_yet_come_is_422(self):
        self.login(self.leader)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(URL, {"date": "2022-04-16"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"],
            {"date": [{"message": "That day has not come yet.", "code": "invalid"}]},
        )

    def test_a_malformed_date_is_422(self):
        self.login(self.leader)
        response = self.client.get(URL, {"date": "15/04/2022"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(list(response.json()["errors"]), ["date"])

    def test_a_day_the_incident_did_not_run_is_422(self):
        # Before its start, and centuries before, when Beijing's clocks kept
        # local mean time: no deadline is made up for such a day.
        self.login(self.leader)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for day in ("2022-04-01", "1215-06-15"):
            with self.subTest(day=day):
                response = self.client.get(URL, {"date": day})
                self.assertEqual(response.status_code, 422)
                self.assertEqual(
                    response.json()["errors"],
                    {
                        "date": [
                            {"message": "The incident did not run that day.", "code": "not_covered"}
                        ]
                    },
                )

    def test_the_incidents_days_have_beijing_deadlines(self):
        self.login(self.leader)
        for day, deadline in (
            ("2022-04-02", "2022-04-02T10:00:00+08:00"),
            ("2022-04-15", "2022-04-15T10:00:00+08:00"),
        ):
            with self.subTest(day=day):
                self.assertEqual(self.client.get(URL, {"date": day}).json()["deadline"], deadline)

    def test_an_empty_parameter_is_422_not_the_default(self):
        self.login(self.leader)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(URL, {"date": "", "incident": " "})
        self.assertEqual(response.status_code, 422)
        message = {"message": "Give a value, or leave the parameter out.", "code": "blank"}
        self.assertEqual(response.json()["errors"], {"date": [message], "incident": [message]})

    def test_an_unknown_incident_is_404(self):
        self.login(self.leader)
        response = self.client.get(URL, {"incident": self.incident.pk + 1})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")

    def test_without_any_incident_it_says_so(self):
        self.incident.delete()
        self.login(self.leader)
        body = self.client.get(URL).json()
        self.assertIsNone(body["incident"])
        self.assertEqual(body["classes"], [])

    def test_it_counts_in_a_fixed_number_of_queries(self):
        self.login(self.leader)
        keep_tallies()
        # The session, the user with their person (one query), the roles, the unit tree
        # (the leader's reach; read once), the incident, when its tallies were taken,
        # the tallies (when, and their rows), the class and unit names.
        with self.assertNumQueries(10) as before:
            self.client.get(URL)
        for n in range(5):
            admin_class = AdminClass.objects.create(
                name=f"电商22{n:02d}", unit=self.college, counsellor=self.counsellor_b
            )
            make_person(f"22030{n:02d}", f"学生{n}", unit=self.college, admin_class=admin_class)
        keep_tallies()
        with self.assertNumQueries(len(before.captured_queries)):
            response = self.client.get(URL)
        self.assertEqual(len(response.json()["classes"]), 8)
