"""The retention purge keeps the counts: each day's tallies, counted a last
time from the check-ins before they go."""

import datetime as dt

from shouwang.checkins.models import Location
from shouwang.checkins.tests.test_retention import CLOSED, DAY_1, DAY_2, DAY_3, RetentionFixtures
from shouwang.compliance.message_kinds import MISSING_LIST
from shouwang.compliance.models import DailyTally
from shouwang.core.models import LogEntry
from shouwang.notify.models import Message
from shouwang.people.models import Person


class FinalTalliesTestCase(RetentionFixtures):
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
        entry = LogEntry.objects.get_for_object(self.incident).get()
        self.assertEqual(entry.additional_data["tallies"], 6)

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

    def test_before_the_limit_there_are_no_final_tallies(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=29, hours=23))
        self.assertFalse(DailyTally.objects.exists())

    def test_other_incidents_keep_theirs_to_come(self):
        later = self.make_incident(dt.date(2022, 5, 1), closed_at=CLOSED + dt.timedelta(days=25))
        self.check_in(self.student_a, dt.date(2022, 5, 1), incident=later)
        self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertFalse(DailyTally.objects.filter(incident=later).exists())

    def test_a_second_run_changes_nothing(self):
        self.make_detail()
        self.purge_at(CLOSED + dt.timedelta(days=31))
        before = self.tally_rows()
        self.assertEqual(self.purge_at(CLOSED + dt.timedelta(days=32)), [])
        self.assertEqual(self.tally_rows(), before)

    def test_the_missing_lists_go_with_the_detail(self):
        key = f"missing-list:{self.incident.pk}:2022-04-06:2"
        Message.objects.create(recipient=self.counsellor_a, kind=MISSING_LIST, title="x", key=key)
        self.purge_at(CLOSED + dt.timedelta(days=31))
        self.assertFalse(Message.objects.filter(key=key).exists())
        entry = LogEntry.objects.get_for_object(self.incident).get()
        self.assertEqual(entry.additional_data["messages"], 1)
