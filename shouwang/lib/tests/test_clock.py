import datetime as dt

from django.conf import settings
from django.test import SimpleTestCase
from freezegun import freeze_time

from shouwang.lib import clock
from shouwang.lib.clock import BEIJING, beijing


class BeijingTimeTestCase(SimpleTestCase):
    def test_a_beijing_moment_is_eight_hours_ahead_of_utc(self):
        self.assertEqual(
            beijing(2022, 4, 16, 9, 30), dt.datetime(2022, 4, 16, 1, 30, tzinfo=dt.timezone.utc)
        )

    def test_a_local_days_moment_is_that_time_in_beijing(self):
        self.assertEqual(clock.at(dt.date(2022, 4, 16), dt.time(10, 0)), beijing(2022, 4, 16, 10))

    def test_the_day_turns_at_beijing_midnight(self):
        with freeze_time(dt.datetime(2022, 4, 15, 16, 0, tzinfo=dt.timezone.utc)):
            self.assertEqual(clock.today(), dt.date(2022, 4, 16))

    def test_the_sites_time_zone_is_beijing(self):
        self.assertEqual(settings.TIME_ZONE, BEIJING.key)


class StandingAtTests(SimpleTestCase):
    def test_the_clock_stands_at_a_past_moment_and_runs_on_from_it_then_comes_back(self):
        moment = clock.beijing(2022, 1, 10, 9, 0)
        with clock.standing_at(moment):
            self.assertLess(abs(clock.now() - moment), dt.timedelta(seconds=5))
            self.assertEqual(clock.today(), dt.date(2022, 1, 10))
        self.assertGreater(clock.today(), dt.date(2025, 1, 1))
