import datetime as dt
from decimal import Decimal
from unittest import mock

from freezegun import freeze_time

from shouwang.checkins import hooks
from shouwang.checkins.models import CheckIn, Location, PrivacyAcceptance
from shouwang.checkins.retention import purge_incident
from shouwang.checkins.tasks import purge_checkin_detail
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.notices.message_kinds import NOTICE
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.test import BaseTestCase

DAY_1 = dt.date(2022, 4, 6)
DAY_2 = dt.date(2022, 4, 7)
DAY_3 = dt.date(2022, 4, 8)
CLOSED = beijing(2022, 4, 8, 18)


class RetentionFixtures(BaseTestCase):
    """A students' incident of three days, closed on DAY_3 at 18:00, kept 30 days."""

    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = cls.make_incident(DAY_1, closed_at=CLOSED)

    @classmethod
    def make_incident(cls, start: dt.date, closed_at=None) -> Incident:
        incident = Incident.objects.create(
            title="校园封控",
            started_at=beijing(start.year, start.month, start.day, 7),
            closed_at=closed_at,
            reporters=Incident.Reporters.STUDENTS,
            retention_days=30,
        )
        incident.units.add(cls.college)
        return incident

    def check_in(self, person, day, incident=None, **fields) -> CheckIn:
        when = beijing(day.year, day.month, day.day, 8)
        return CheckIn.objects.create(
            person=person,
            incident=incident or self.incident,
            date=day,
            submitted_at=when,
            updated_at=when,
            location=fields.pop("location", Location.CAMPUS),
            **fields,
        )

    def make_detail(self) -> None:
        self.check_in(self.student_a, DAY_1)
        self.check_in(
            self.student_b, DAY_1, location=Location.HOME, late=True, temperature=Decimal("38.1")
        )
        self.check_in(self.student_a, DAY_2, symptoms=["cough"])
        self.check_in(self.volunteer_person, DAY_2)
        PrivacyAcceptance.objects.create(person=self.student_a, version="2022-04")
        Message.objects.create(
            recipient=self.student_a,
            kind=REMINDER,
            title="x",
            key=f"reminder:{self.incident.pk}:2022-04-06:09:00:1",
        )
        Message.objects.create(recipient=self.student_a, kind=NOTICE, title="keep")

    def purge_at(self, when: dt.datetime) -> list[int]:
        with freeze_time(when):
            return purge_checkin_detail.call()


class RetentionTestCase(RetentionFixtures):
    def test_past_the_limit_no_detail_is_left(self):
        self.make_detail()
        self.assertEqual(
            self.purge_at(CLOSED + dt.timedelta(days=30, seconds=1)), [self.incident.pk]
        )
        self.assertFalse(CheckIn.objects.filter(incident=self.incident).exists())
        self.assertEqual(list(Message.objects.values_list("title", flat=True)), ["keep"])
        self.assertTrue(PrivacyAcceptance.objects.filter(person=self.student_a).exists())
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.purged_at, CLOSED + dt.timedelta(days=30, seconds=1))

    def test_before_the_limit_nothing_is_purged(self):
        self.make_detail()
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=29, hours=23)), [])
        self.assertEqual(CheckIn.objects.count(), 4)
        self.assertEqual(Message.objects.count(), 2)

    def test_an_open_incident_is_never_purged(self):
        Incident.objects.filter(pk=self.incident.pk).update(closed_at=None)
        self.make_detail()
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=400)), [])
        self.assertEqual(CheckIn.objects.count(), 4)
        self.incident.refresh_from_db()
        self.assertFalse(purge_incident(self.incident))

    def test_other_incidents_keep_their_detail(self):
        later = self.make_incident(dt.date(2022, 5, 1), closed_at=CLOSED + dt.timedelta(days=25))
        self.check_in(self.student_a, dt.date(2022, 5, 1), incident=later)
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertEqual(CheckIn.objects.filter(incident=later).count(), 1)
        later.refresh_from_db()
        self.assertIsNone(later.purged_at)

    def test_a_second_run_changes_nothing(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=32)), [])
        self.assertEqual(LogEntry.objects.get_for_object(self.incident).count(), 1)

    def test_the_purge_is_audited(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        entry = LogEntry.objects.get_for_object(self.incident).get()
        self.assertEqual(entry.kind, "checkins.details_purged")
        self.assertEqual(entry.additional_data["checkins"], 4)
        self.assertEqual(entry.additional_data["messages"], 1)

    def test_what_other_apps_registered_runs_before_the_check_ins_go(self):
        seen = []

        def before_purge(incident, now):
            seen.append((incident.pk, now, CheckIn.objects.filter(incident=incident).count()))
            return {"messages": 2, "kept": 1}

        self.make_detail()
        when = CLOSED + dt.timedelta(days=31)
        with mock.patch.object(hooks, "before_purge", [before_purge]):
            self.purge_at(when)
        self.assertEqual(seen, [(self.incident.pk, when, 4)])
        data = LogEntry.objects.get_for_object(self.incident).get().additional_data
        # Counts of the same name add up.
        self.assertEqual((data["messages"], data["kept"]), (3, 1))

    def test_a_failing_hook_purges_nothing(self):
        def before_purge(incident, now):
            raise RuntimeError("disk full")

        self.make_detail()
        with (
            mock.patch.object(hooks, "before_purge", [before_purge]),
            self.assertRaises(RuntimeError),
        ):
            self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertEqual(CheckIn.objects.count(), 4)
        self.incident.refresh_from_db()
        self.assertIsNone(self.incident.purged_at)
