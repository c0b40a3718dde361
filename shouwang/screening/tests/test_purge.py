"""The retention purge takes the flags, what was done about them and the
escalations with the check-ins: they say whose health was in question."""

import datetime as dt

from shouwang.checkins.tests.test_retention import CLOSED, DAY_1, RetentionFixtures
from shouwang.core.models import LogEntry
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.screening.models import Flag, FlagAction


class PurgeTestCase(RetentionFixtures):
    def setUp(self):
        super().setUp()
        flag = Flag.objects.create(
            person=self.student_b, incident=self.incident, date=DAY_1, reason=Flag.Reason.FEVER
        )
        FlagAction.objects.create(flag=flag, outcome=FlagAction.Outcome.CONTACTED, by=self.leader)
        Message.objects.create(
            recipient=self.leader_person,
            kind=ESCALATION,
            title="x",
            key=f"escalation:{self.incident.pk}:2022-04-07:{self.leader_person.pk}",
        )

    def test_past_the_limit_no_flag_is_left(self):
        self.purge_at(CLOSED + dt.timedelta(days=30, seconds=1))
        self.assertFalse(Flag.objects.exists())
        self.assertFalse(FlagAction.objects.exists())
        self.assertFalse(Message.objects.exists())
        entry = LogEntry.objects.get_for_object(self.incident).get()
        self.assertEqual(
            (
                entry.additional_data["flags"],
                entry.additional_data["flag_actions"],
                entry.additional_data["messages"],
            ),
            (1, 1, 1),
        )

    def test_before_the_limit_the_flags_stay(self):
        self.purge_at(CLOSED + dt.timedelta(days=29, hours=23))
        self.assertEqual((Flag.objects.count(), FlagAction.objects.count()), (1, 1))
