"""The check-in day turns at midnight Beijing time; the deadline makes a first
submission late, never a later correction."""

import datetime as dt

from freezegun import freeze_time

from shouwang.checkins.models import CheckIn

from .test_checkin import URL, CheckInTestCase, beijing, block


class DayBoundaryTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def test_a_minute_before_and_after_beijing_midnight_are_two_days(self):
        with freeze_time(beijing(2022, 4, 14, 23, 59)):
            self.submit(note="晚")
        with freeze_time(beijing(2022, 4, 15, 0, 1)):
            self.submit(note="早")
        days = dict(CheckIn.objects.values_list("date", "note"))
        self.assertEqual(days, {dt.date(2022, 4, 14): "晚", dt.date(2022, 4, 15): "早"})

    def test_the_day_is_beijings_not_utcs(self):
        # 07:30 in Beijing is still the previous day in UTC.
        with freeze_time(beijing(2022, 4, 15, 7, 30)):
            self.submit()
        self.assertEqual(CheckIn.objects.get().date, dt.date(2022, 4, 15))

    def test_yesterdays_receipt_is_gone_after_midnight(self):
        with freeze_time(beijing(2022, 4, 14, 23, 59)):
            self.submit()
            self.assertContains(self.client.get(URL), 'data-testid="receipt"')
        with freeze_time(beijing(2022, 4, 15, 0, 1)):
            response = self.client.get(URL)
        self.assertNotContains(response, 'data-testid="receipt"')
        self.assertContains(response, 'data-testid="checkin-form"')
        self.assertContains(response, 'data-testid="same-as-yesterday"')


class DeadlineTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def test_a_submission_before_the_deadline_is_on_time(self):
        with freeze_time(beijing(2022, 4, 15, 9, 59)):
            self.submit()
        self.assertFalse(CheckIn.objects.get().late)

    def test_a_submission_at_the_deadline_is_on_time(self):
        with freeze_time(beijing(2022, 4, 15, 10, 0)):
            self.submit()
        self.assertFalse(CheckIn.objects.get().late)

    def test_a_first_submission_after_the_deadline_is_late_and_the_receipt_says_so(self):
        with freeze_time(beijing(2022, 4, 15, 10, 1)):
            self.submit()
            response = self.client.get(URL)
        self.assertTrue(CheckIn.objects.get().late)
        self.assertIn('data-testid="late"', block(response, **{"data-testid": "receipt"}))

    def test_the_page_warns_before_a_late_submission(self):
        with freeze_time(beijing(2022, 4, 15, 9, 0)):
            self.assertNotContains(self.client.get(URL), 'data-testid="past-deadline"')
        with freeze_time(beijing(2022, 4, 15, 11, 0)):
            self.assertContains(self.client.get(URL), 'data-testid="past-deadline"')

    def test_a_resubmission_before_the_deadline_updates_the_days_checkin(self):
        with freeze_time(beijing(2022, 4, 15, 8, 0)):
            self.submit(note="第一次")
        with freeze_time(beijing(2022, 4, 15, 9, 30)):
            self.submit(location="home", province="14", city="1401", note="第二次")
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.location, checkin.city, checkin.note), ("home", "1401", "第二次"))
        self.assertEqual(checkin.submitted_at, beijing(2022, 4, 15, 8, 0))
        self.assertEqual(checkin.updated_at, beijing(2022, 4, 15, 9, 30))
        self.assertFalse(checkin.late)

    def test_the_receipt_shows_the_latest_answers_and_when_they_were_given(self):
        with freeze_time(beijing(2022, 4, 15, 8, 0)):
            self.submit(note="第一次")
        with freeze_time(beijing(2022, 4, 15, 9, 30)):
            self.submit(note="第二次")
            receipt = block(self.client.get(URL), **{"data-testid": "receipt"})
        self.assertIn('datetime="2022-04-15T09:30:00+08:00"', receipt)
        self.assertIn("First submitted at 08:00", receipt)
        self.assertIn("第二次", receipt)

    def test_correcting_an_on_time_checkin_after_the_deadline_keeps_it_on_time(self):
        # A fever reported in the afternoon must never count against anyone.
        with freeze_time(beijing(2022, 4, 15, 8, 0)):
            self.submit()
        with freeze_time(beijing(2022, 4, 15, 15, 0)):
            self.submit(health="unwell", symptoms=["fever"], temperature="38.1")
        checkin = CheckIn.objects.get()
        self.assertEqual(checkin.symptoms, ["fever"])
        self.assertFalse(checkin.late)

    def test_a_late_checkin_stays_late_when_corrected(self):
        with freeze_time(beijing(2022, 4, 15, 12, 0)):
            self.submit()
        with freeze_time(beijing(2022, 4, 15, 13, 0)):
            self.submit(note="补充")
        self.assertTrue(CheckIn.objects.get().late)

    def test_the_deadline_is_the_incidents(self):
        self.incident.deadline = dt.time(8, 0)
        self.incident.save(update_fields=["deadline"])
        with freeze_time(beijing(2022, 4, 15, 9, 0)):
            self.submit()
        self.assertTrue(CheckIn.objects.get().late)
