"""Reminder slots: the scheduled reminders and a counsellor's "remind all"
share them, so that nobody gets two reminders of the same slot."""

from freezegun import freeze_time

from shouwang.checkins.reminders import SlotKind, remind_missing, slot_at
from shouwang.notify.models import Message
from shouwang.people.models import Person

from . import test_reminders as base
from .test_reminders import DAY_1, DAY_2, at


class SlotTestCase(base.ReminderFixtures):
    """Reminders at 08:00 and 09:00, deadline 10:00, from DAY_1 07:00."""

    def slot(self, when):
        slot = slot_at(self.incident, when)
        return None if slot is None else (slot.kind, slot.at, slot.until)

    def test_a_reminder_times_slot_runs_until_the_scheduler_can_no_longer_send_it(self):
        self.assertEqual(
            self.slot(at(DAY_1, 7, 30)), (SlotKind.REMINDER, at(DAY_1, 8), at(DAY_1, 8, 30))
        )
        self.assertEqual(self.slot(at(DAY_1, 8, 29, 59))[1], at(DAY_1, 8))
        self.assertEqual(self.slot(at(DAY_1, 8, 30))[1], at(DAY_1, 9))

    def test_after_the_last_reminder_come_the_deadline_and_then_the_late_slot(self):
        self.assertEqual(
            self.slot(at(DAY_1, 9, 30)), (SlotKind.DEADLINE, at(DAY_1, 10), at(DAY_1, 10))
        )
        self.assertEqual(self.slot(at(DAY_1, 10))[0], SlotKind.LATE)
        self.assertEqual(self.slot(at(DAY_1, 23, 59))[2], at(DAY_2, 0))

    def test_a_day_the_incident_does_not_cover_has_no_slot(self):
        self.assertIsNone(self.slot(at(DAY_1, 6) - (at(DAY_2, 0) - at(DAY_1, 0))))

    def test_remind_all_before_the_scheduled_reminder_takes_its_place(self):
        class_a = Person.objects.filter(admin_class=self.class_a)
        with freeze_time(at(DAY_1, 8, 45)):
            reminded = remind_missing(self.incident, class_a, acting_user=self.counsellor_a_user)
        assert reminded.slot is not None
        self.assertEqual((reminded.sent, reminded.slot.at), (1, at(DAY_1, 9)))
        self.run_at(at(DAY_1, 9, 0, 30))
        self.assertEqual(Message.objects.filter(recipient=self.student_a).count(), 1)
        self.assertEqual(self.recipients("reminder"), ["2020001", "2021001", "2021002"])

    def test_remind_all_after_the_scheduled_reminder_of_its_slot_sends_nothing_new(self):
        self.run_at(at(DAY_1, 9, 0, 30))
        with freeze_time(at(DAY_1, 9, 10)):
            reminded = remind_missing(
                self.incident, Person.objects.all(), acting_user=self.counsellor_a_user
            )
        self.assertEqual(reminded.sent, 0)
        self.assertEqual(Message.objects.count(), 3)
