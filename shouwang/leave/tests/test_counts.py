"""Leave counts by kind and by class: asked, approved and rejected in a
period, away and overdue now; each table one grouped query, each viewer
their own people's."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.leave import queries
from shouwang.leave.models import LeaveRequest
from shouwang.leave.tests.base import LeaveTestCase
from shouwang.leave.tests.whereabouts import BEIJING, granted
from shouwang.lib.clock import beijing

NOW = beijing(2024, 4, 17, 12, 0)
TODAY = NOW.date()
Status = LeaveRequest.Status


@freeze_time(NOW)
class CountsTestCase(LeaveTestCase):
    url = reverse("leave:counts")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        day = dt.timedelta(days=1)
        morning = beijing(2024, 4, 17, 8, 0)
        # Class A: one away to Beijing (out at the gate), one overdue since yesterday.
        granted(cls.student_a, cls.away, start=morning, days=2, city=BEIJING, left_at=morning)
        granted(cls.student_a, cls.sick, start=morning - 2 * day, days=1)
        # Class B: one rejected today, one asked today and waiting.
        granted(cls.student_b, cls.away, start=morning, status=Status.REJECTED)
        granted(cls.volunteer_person, cls.sick, start=morning, status=Status.PENDING)
        # Staff entering the campus: on campus, never away.
        granted(cls.teacher_person, cls.entry, start=morning)
        # The other college's student, away too.
        granted(cls.student_c, cls.away, start=morning, city=BEIJING)

    def rows(self, response, by: str) -> dict:
        tables = {name: rows for name, rows, _total in response.context["tables"]}
        return {
            row.label: (row.asked, row.approved, row.rejected, row.away, row.overdue)
            for row in tables[by]
        }

    def test_a_leader_counts_their_college_by_kind_and_by_class(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.rows(response, "kind"),
            {"病假": (1, 0, 0, 0, 1), "离校": (2, 1, 1, 1, 0), "入校": (1, 1, 0, 0, 0)},
        )
        by_class = self.rows(response, "class")
        self.assertEqual(by_class["计科2001"], (1, 1, 0, 1, 1))
        self.assertEqual(by_class["信管2101"], (2, 0, 1, 0, 0))
        self.assertNotIn("会计2001", by_class)
        self.assertContains(response, 'data-testid="total-kind"')

    def test_another_colleges_leader_sees_none_of_ours(self):
        self.login(self.leader_b)
        response = self.client.get(self.url)
        self.assertEqual(self.rows(response, "kind"), {"离校": (1, 1, 0, 1, 0)})
        self.assertEqual(list(self.rows(response, "class")), ["会计2001"])

    def test_a_counsellor_counts_their_own_classes(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url)
        self.assertEqual(list(self.rows(response, "class")), ["信管2101"])

    def test_an_admin_counts_everyone(self):
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(self.rows(response, "kind")["离校"], (3, 2, 1, 2, 0))

    def test_a_period_counts_what_was_asked_and_decided_in_it(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"first": "2024-04-15", "last": "2024-04-15"})
        # Only the overdue sick leave was asked on the 15th; away and overdue are now.
        self.assertEqual(self.rows(response, "kind")["病假"], (1, 1, 0, 0, 1))
        self.assertEqual(self.rows(response, "kind")["离校"], (0, 0, 0, 1, 0))
        response = self.client.get(self.url, {"first": "2024-04-15", "last": "2024-04-17"})
        self.assertEqual(self.rows(response, "kind")["病假"], (2, 1, 0, 0, 1))

    def test_a_period_ending_before_it_begins_falls_back_to_today(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"first": "2024-04-17", "last": "2024-04-10"})
        self.assertEqual((response.context["first"], response.context["last"]), (TODAY, TODAY))
        self.assertTrue(response.context["form"].errors)

    def test_students_and_teachers_are_refused(self):
        for user in (self.student, self.teacher, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def _queries(self) -> int:
        self.login(self.leader)
        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.url)
        return len(captured)

    def test_each_table_is_one_query_however_many_requests_and_classes(self):
        before = self._queries()
        for days in range(5):
            granted(self.student_b, self.sick, start=beijing(2024, 4, 17, 9, days))
            granted(self.counsellor_a, self.entry, start=beijing(2024, 4, 17, 9, days))
        self.assertEqual(self._queries(), before)

    def test_the_counts_are_one_grouped_query_each(self):
        requests = LeaveRequest.objects.all()
        with self.assertNumQueries(1):
            queries.counts_by_kind(requests, TODAY, TODAY, NOW)
        with self.assertNumQueries(1):
            queries.counts_by_class(requests, TODAY, TODAY, NOW)

    def test_compliance_links_here_for_those_who_follow_leave(self):
        self.login(self.leader)
        response = self.client.get(reverse("compliance:overview"))
        self.assertContains(response, self.url)
