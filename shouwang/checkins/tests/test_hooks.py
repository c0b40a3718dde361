"""What other apps do when a check-in is stored or purged comes through the
hook lists in checkins.hooks; checkins itself knows none of those apps."""

from unittest import mock

from freezegun import freeze_time

from shouwang.checkins import hooks
from shouwang.checkins.models import CheckIn

from .test_checkin import URL, CheckInTestCase, beijing


@freeze_time(beijing(2022, 4, 15, 8, 31))
class CheckInStoredTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)
        self.prepared: list[tuple[str, bool]] = []
        self.written: list[tuple[str, bool]] = []

    def hook(self, checkin: CheckIn):
        # Before the transaction: the day's row does not hold these answers yet.
        self.prepared.append((checkin.note, CheckIn.objects.filter(note=checkin.note).exists()))
        return lambda: self.written.append(
            (checkin.note, CheckIn.objects.filter(note=checkin.note).exists())
        )

    def test_each_stored_submission_runs_the_hooks_after_its_row_is_written(self):
        data = self.answers(note="第一")
        with mock.patch.object(hooks, "checkin_stored", [self.hook]):
            self.client.post(URL, data)
            self.submit(note="第二")  # a correction
            self.client.post(URL, data)  # an older tab's retry: its answers again
        self.assertEqual(self.prepared, [("第一", False), ("第二", False), ("第一", False)])
        self.assertEqual(self.written, [("第一", True), ("第二", True), ("第一", True)])

    def test_a_replay_runs_nothing(self):
        data = self.answers(note="第一")
        with mock.patch.object(hooks, "checkin_stored", [self.hook]):
            self.client.post(URL, data)
            self.client.post(URL, data)
        self.assertEqual(self.written, [("第一", True)])

    def test_a_failing_hook_stores_nothing(self):
        def fails(checkin):
            def write():
                raise RuntimeError("disk full")

            return write

        with (
            mock.patch.object(hooks, "checkin_stored", [fails]),
            self.assertRaises(RuntimeError),
        ):
            self.submit()
        self.assertFalse(CheckIn.objects.exists())

    def test_a_hook_is_registered_once_however_often_its_app_is_ready(self):
        registered: list = []
        hooks.add(registered, self.hook)
        hooks.add(registered, self.hook)
        self.assertEqual(registered, [self.hook])
