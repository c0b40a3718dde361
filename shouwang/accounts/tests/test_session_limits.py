"""Sessions that reach other people's records are short; a student's own is not."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.people.models import Person
from shouwang.test import PASSWORD, BaseTestCase, make_person, make_user

LOGIN = reverse("accounts:login")
MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)


@override_settings(SESSION_STAFF_MAX_HOURS=12, SESSION_STAFF_IDLE_MINUTES=30)
class SessionLimitTests(BaseTestCase):
    def log_in(self, number: str) -> None:
        response = self.client.post(LOGIN, {"username": number, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def is_logged_in(self) -> bool:
        return self.client.get("/").wsgi_request.user.is_authenticated

    def session_expiry(self) -> dt.datetime:
        return Session.objects.get().expire_date

    def test_a_counsellor_left_idle_for_half_an_hour_is_logged_out(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.counsellor_a_user.username)
            clock.tick(dt.timedelta(minutes=29))
            self.assertTrue(self.is_logged_in())
            clock.tick(dt.timedelta(minutes=31))
            response = self.client.get(reverse("compliance:overview"))
            self.assertEqual(response.status_code, 302)
            self.assertIn(LOGIN, response["Location"])

    def test_a_busy_counsellor_is_logged_out_twelve_hours_after_logging_in(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.counsellor_a_user.username)
            for _ in range(12 * 3 - 1):
                clock.tick(dt.timedelta(minutes=20))
                self.assertTrue(self.is_logged_in())
            clock.tick(dt.timedelta(minutes=20))
            self.assertFalse(self.is_logged_in())

    def test_leaders_admins_volunteers_and_teachers_get_the_short_session(self):
        teacher = make_user(make_person("T0100", "李老师", Person.Kind.TEACHER, unit=self.college))
        for user in (self.leader, self.admin, self.volunteer, teacher):
            with self.subTest(user=user.username), freeze_time(MORNING) as clock:
                self.client.logout()
                self.client.force_login(user)
                clock.tick(dt.timedelta(minutes=31))
                self.assertFalse(self.is_logged_in())

    def test_a_student_stays_logged_in_for_days(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.student.username)
            clock.tick(dt.timedelta(days=13))
            self.assertTrue(self.is_logged_in())
            clock.tick(dt.timedelta(days=1, minutes=1))
            self.assertFalse(self.is_logged_in())

    def test_a_students_requests_do_not_write_the_session(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.student.username)
            expiry = self.session_expiry()
            clock.tick(dt.timedelta(hours=3))
            self.client.get(reverse("checkins:today"))
            self.assertEqual(self.session_expiry(), expiry)

    def test_a_counsellors_session_is_written_at_most_once_a_minute(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.counsellor_a_user.username)
            clock.tick(dt.timedelta(minutes=5))
            self.client.get("/")
            expiry = self.session_expiry()
            self.assertEqual(expiry, timezone.now() + dt.timedelta(minutes=30))
            clock.tick(dt.timedelta(seconds=20))
            self.client.get("/")
            self.assertEqual(self.session_expiry(), expiry)

    def test_a_student_who_becomes_a_volunteer_gets_the_short_session(self):
        with freeze_time(MORNING) as clock:
            self.log_in(self.student.username)
            self.student.grant(Role.VOLUNTEER)
            self.client.get(reverse("volunteers:team_list"))
            clock.tick(dt.timedelta(minutes=31))
            self.assertFalse(self.is_logged_in())
