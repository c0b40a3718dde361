import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from shouwang.checkins.models import (
    CheckIn,
    DailyTally,
    Flag,
    FlagAction,
    Location,
    PrivacyAcceptance,
)
from shouwang.checkins.retention import purge_incident
from shouwang.checkins.tasks import purge_checkin_detail
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Incident
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

BEIJING = ZoneInfo("Asia/Shanghai")
DAY_1 = dt.date(2022, 4, 6)
DAY_2 = dt.date(2022, 4, 7)
DAY_3 = dt.date(2022, 4, 8)
CLOSED = dt.datetime(2022, 4, 8, 18, tzinfo=BEIJING)


class RetentionTestCase(BaseTestCase):
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
            started_at=dt.datetime(start.year, start.month, start.day, 7, tzinfo=BEIJING),
            closed_at=closed_at,
            reporters=Incident.Reporters.STUDENTS,
            retention_days=30,
        )
        incident.units.add(cls.college)
        return incident

    def check_in(self, person, day, incident=None, **fields) -> CheckIn:
        when = dt.datetime(day.year, day.month, day.day, 8, tzinfo=BEIJING)
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
        flag = Flag.objects.create(
            person=self.student_b, incident=self.incident, date=DAY_1, reason=Flag.Reason.FEVER
        )
        FlagAction.objects.create(flag=flag, outcome=FlagAction.Outcome.CONTACTED, by=self.leader)
        PrivacyAcceptance.objects.create(person=self.student_a, version="2022-04")
        pk = self.incident.pk
        for key in (f"reminder:{pk}:2022-04-06:09:00:1", f"missing-list:{pk}:2022-04-06:2"):
            Message.objects.create(
                recipient=self.student_a, kind=Message.Kind.REMINDER, title="x", key=key
            )
        Message.objects.create(recipient=self.student_a, kind=Message.Kind.NOTICE, title="keep")

    def purge_at(self, when: dt.datetime) -> list[int]:
        with freeze_time(when):
            return purge_checkin_detail.call()

    def tally_rows(self) -> list[tuple]:
        return list(
            DailyTally.objects.filter(incident=self.incident)
            .order_by("date", "admin_class__name", "unit")
            .values_list(
                "date",
                "admin_class__name",
                "unit__name",
                "expected",
                "reported",
                "late",
                "abnormal",
                "on_campus",
            )
        )

    def test_past_the_limit_no_detail_is_left(self):
        self.make_detail()
        self.assertEqual(
            self.purge_at(CLOSED + dt.timedelta(days=30, seconds=1)), [self.incident.pk]
        )
        self.assertFalse(CheckIn.objects.filter(incident=self.incident).exists())
        self.assertFalse(Flag.objects.filter(incident=self.incident).exists())
        self.assertFalse(FlagAction.objects.exists())
        self.assertEqual(list(Message.objects.values_list("title", flat=True)), ["keep"])
        self.assertTrue(PrivacyAcceptance.objects.filter(person=self.student_a).exists())
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.purged_at, CLOSED + dt.timedelta(days=30, seconds=1))

    def test_the_tallies_keep_the_counts(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        # Class A: 张三. Class B: 李四 and 王五.
        self.assertEqual(
            self.tally_rows(),
            [
                (DAY_1, "信管2101", None, 2, 1, 1, 1, 0),
                (DAY_1, "计科2001", None, 1, 1, 0, 0, 1),
                (DAY_2, "信管2101", None, 2, 1, 0, 0, 1),
                (DAY_2, "计科2001", None, 1, 1, 0, 1, 1),
                (DAY_3, "信管2101", None, 2, 0, 0, 0, 0),
                (DAY_3, "计科2001", None, 1, 0, 0, 0, 0),
            ],
        )

    def test_people_in_no_class_are_tallied_by_unit(self):
        loner = Person.objects.create(
            number="2022009", name="赵六", kind=Person.Kind.STUDENT, unit=self.college
        )
        self.check_in(loner, DAY_1, location=Location.ELSEWHERE)
        self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertIn((DAY_1, None, "信息学院", 1, 1, 0, 0, 0), self.tally_rows())

    def test_someone_who_reported_and_has_since_left_still_counts(self):
        self.check_in(self.student_b, DAY_1)
        Person.objects.filter(pk=self.student_b.pk).update(status=Person.Status.GRADUATED)
        self.purge_at(CLOSED + dt.timedelta(days=31))
        rows = [row for row in self.tally_rows() if row[1] == "信管2101"]
        self.assertEqual(
            rows,
            [
                (DAY_1, "信管2101", None, 2, 1, 0, 0, 1),
                (DAY_2, "信管2101", None, 2, 0, 0, 0, 0),
                (DAY_3, "信管2101", None, 2, 0, 0, 0, 0),
            ],
        )

    def test_before_the_limit_nothing_is_purged(self):
        self.make_detail()
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=29, hours=23)), [])
        self.assertEqual(CheckIn.objects.count(), 4)
        self.assertEqual(Flag.objects.count(), 1)
        self.assertFalse(DailyTally.objects.exists())

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
        self.assertFalse(DailyTally.objects.filter(incident=later).exists())

    def test_a_second_run_changes_nothing(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        before = self.tally_rows()
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=32)), [])
        self.assertEqual(self.tally_rows(), before)

    def test_the_purge_is_audited(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        entry = LogEntry.objects.get_for_object(self.incident).get()
        self.assertEqual(entry.kind, "checkins.details_purged")
        self.assertEqual(entry.additional_data["checkins"], 4)
        self.assertEqual(entry.additional_data["flags"], 1)
        self.assertEqual(entry.additional_data["flag_actions"], 1)
        self.assertEqual(entry.additional_data["messages"], 2)
        self.assertEqual(entry.additional_data["tallies"], 6)
