"""Leave labels the missing, never removes them: the missing list, its export
and the counsellors' messages say who is on approved leave, and the counts
stay as they were."""

import datetime as dt
import io

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.checkins.tests.base import NOW, IncidentTestCase
from shouwang.checkins.tests.test_reminders import DAY_1, ReminderFixtures, at
from shouwang.compliance.counts import count, scope_for
from shouwang.compliance.message_kinds import MISSING_LIST
from shouwang.compliance.tasks import send_missing_lists
from shouwang.leave.models import LeaveKind, LeaveRequest
from shouwang.leave.tests.base import make_kinds
from shouwang.leave.tests.whereabouts import granted
from shouwang.lib.spreadsheets import read_rows
from shouwang.notify.models import Message

START = NOW - dt.timedelta(hours=15)


class MissingOnLeaveTestCase(IncidentTestCase):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind
    leave: LeaveRequest
    url = reverse("compliance:missing")

    def setUp(self):
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_kinds(cls)
        # Until April 13, 18:00 (Beijing).
        cls.leave = granted(cls.student_a, cls.sick, start=START, days=2)

    def test_a_missing_person_on_leave_stays_on_the_list_labelled(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["page"]), [self.student_a])
        self.assertContains(response, "on approved leave: 病假, until April 13, 18:00")
        self.assertContains(response, "1 of them on approved leave")

    def test_others_are_not_labelled(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'data-testid="on-leave"')
        self.assertNotContains(response, 'data-testid="on-leave-count"')

    def test_a_leave_not_approved_labels_nobody(self):
        LeaveRequest.objects.filter(pk=self.leave.pk).update(status=LeaveRequest.Status.PENDING)
        self.login(self.counsellor_a_user)
        self.assertNotContains(self.client.get(self.url), 'data-testid="on-leave"')

    def test_the_counts_stay_the_same(self):
        tally = count(self.incident, NOW.date(), scope_for(self.counsellor_a_user))
        self.assertEqual((tally.total.expected, tally.total.missing), (1, 1))

    def _queries(self) -> int:
        self.login(self.leader)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_labelling_takes_one_query_however_many_are_on_leave(self):
        self._queries()  # the list's view audited, once in ten minutes
        before = self._queries()
        for person in (self.student_b, self.volunteer_person, self.teacher_person):
            granted(person, self.sick, start=START)
        self.assertEqual(self._queries(), before)
        response = self.client.get(self.url)
        self.assertEqual(response.context["on_leave_count"], 4)

    def test_the_export_gives_the_reason(self):
        self.login(self.leader)
        response = self.client.get(reverse("compliance:missing_export"))
        header, *rows = read_rows(io.BytesIO(response.content), "missing.xlsx")
        self.assertEqual(header[-1], "reason")
        reasons = {row[1]: row[-1] for row in rows}
        self.assertEqual(reasons["张三"], "on approved leave: 病假, until April 13, 18:00")
        self.assertFalse(reasons["李四"])


class MissingListMessagesOnLeaveTestCase(ReminderFixtures):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind
    job = send_missing_lists

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_kinds(cls)
        granted(cls.student_b, cls.sick, start=at(DAY_1, 7), days=2)

    def test_the_counsellors_list_says_who_is_on_leave(self):
        self.run_at(at(DAY_1, 10, 1))
        to_b = Message.objects.get(kind=MISSING_LIST, recipient=self.counsellor_b)
        lines = to_b.body.splitlines()
        [on_leave] = [line for line in lines if "李四" in line]
        self.assertIn("病假", on_leave)
        [other] = [line for line in lines if "王五" in line]
        self.assertNotIn("病假", other)
        self.assertIn("2", to_b.title)
