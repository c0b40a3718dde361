"""checkin_status(person): what the home page says about today's check-in."""

import datetime as dt

from django.template.loader import render_to_string
from freezegun import freeze_time

from shouwang.checkins.status import checkin_status
from shouwang.people.models import Person

from .test_checkin import CheckInTestCase, beijing


class CheckInStatusTestCase(CheckInTestCase):
    def render(self, status) -> str:
        return render_to_string("checkins/checkin_status.html", {"status": status})

    @freeze_time(beijing(2022, 4, 15, 8, 31))
    def test_someone_covered_who_has_not_checked_in(self):
        status = checkin_status(self.student_a)
        self.assertTrue(status.required)
        self.assertFalse(status.done)
        self.assertFalse(status.overdue)
        self.assertTrue(status.needs_notice)
        self.assertEqual(status.deadline, beijing(2022, 4, 15, 10, 0))
        html = self.render(status)
        self.assertIn('data-done="false"', html)
        self.assertIn('href="/checkin/"', html)

    @freeze_time(beijing(2022, 4, 15, 10, 1))
    def test_after_the_deadline_it_is_overdue(self):
        self.assertTrue(checkin_status(self.student_a).overdue)

    @freeze_time(beijing(2022, 4, 15, 8, 31))
    def test_someone_who_checked_in(self):
        self.accept()
        checkin = self.make_checkin(dt.date(2022, 4, 15))
        status = checkin_status(self.student_a)
        self.assertTrue(status.done)
        self.assertFalse(status.needs_notice)
        self.assertEqual(status.checkin, checkin)
        html = self.render(status)
        self.assertIn('data-done="true"', html)
        self.assertIn('datetime="2022-04-15T08:00:00+08:00"', html)

    @freeze_time(beijing(2022, 4, 15, 8, 31))
    def test_someone_outside_the_regime_sees_nothing(self):
        Person.objects.filter(pk=self.student_a.pk).update(status=Person.Status.AWAY)
        self.student_a.refresh_from_db()  # as the next request loads them
        status = checkin_status(self.student_a)
        self.assertFalse(status.required)
        self.assertFalse(status.overdue)
        self.assertEqual(self.render(status).strip(), "")
        self.assertFalse(checkin_status(None).required)
