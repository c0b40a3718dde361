"""The approver's queue and the followers' list: scoped, and a flat number
of queries however many requests there are."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.leave import actions
from shouwang.leave.models import LeaveRequest, LeaveStep, PostHolder
from shouwang.lib import clock
from shouwang.test import make_person

from .base import MONDAY, LeaveTestCase, ask

Event = LeaveStep.Event


class QueueTests(LeaveTestCase):
    url = reverse("leave:queue")

    def test_it_lists_what_waits_on_me_oldest_first(self):
        first = ask(self.student_a, self.away, user=self.student)
        second = ask(self.student_a, self.sick, user=self.student)
        self.login(self.counsellor_a_user)
        with freeze_time(first.submitted_at + dt.timedelta(hours=30)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["waiting"], [first, second])
        self.assertTrue(response.context["waiting"][0].past_limit)
        self.assertContains(response, 'data-testid="past-limit"')

    def test_another_counsellor_sees_none_of_it(self):
        ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url).context["waiting"], [])

    def test_a_leader_sees_what_was_escalated_or_waits_on_nobody(self):
        escalated = ask(self.student_a, self.away, user=self.student)
        LeaveRequest.objects.filter(pk=escalated.pk).update(escalated_at=clock.now())
        PostHolder.objects.all().delete()
        nobody = ask(self.teacher_person, self.entry, user=self.teacher)
        ask(self.student_b, self.away, user=self.student_b_user)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertCountEqual(response.context["escalated"], [escalated, nobody])
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).context["escalated"], [])

    def test_it_lists_what_i_decided_lately(self):
        leave = ask(self.student_a, self.away, user=self.student)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        self.login(self.counsellor_a_user)
        decided = self.client.get(self.url).context["decided"]
        self.assertEqual([entry.request for entry in decided], [leave])

    def queries(self, user):
        self.login(user)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(self.url).status_code, 200)
        return len(captured)

    def test_the_queries_stay_flat(self):
        start = clock.at(MONDAY, dt.time(8))
        for day in range(2):
            ask(self.student_a, self.away, user=self.student, start=start + dt.timedelta(days=day))
        decided = ask(self.student_b, self.sick, user=self.student_b_user)
        actions.decide(decided, Event.APPROVED, acting_user=self.counsellor_b_user)
        LeaveRequest.objects.update(escalated_at=clock.now())
        few = (self.queries(self.counsellor_a_user), self.queries(self.leader))
        for number in range(5):
            person = make_person(f"20209{number}", f"学生{number}", admin_class=self.class_a)
            ask(person, self.away, user=self.student, start=start)
        LeaveRequest.objects.update(escalated_at=clock.now())
        self.assertEqual((self.queries(self.counsellor_a_user), self.queries(self.leader)), few)


class RequestListTests(LeaveTestCase):
    url = reverse("leave:request_list")

    def test_a_counsellor_sees_their_classes_requests(self):
        mine = ask(self.student_a, self.away, user=self.student)
        ask(self.student_b, self.sick, user=self.student_b_user)
        self.login(self.counsellor_a_user)
        self.assertEqual(list(self.client.get(self.url).context["page"]), [mine])

    def test_a_leader_filters_by_status_kind_class_and_day(self):
        away = ask(self.student_a, self.away, user=self.student)
        sick = ask(self.student_b, self.sick, user=self.student_b_user)
        actions.decide(sick, Event.APPROVED, acting_user=self.counsellor_b_user)
        self.login(self.leader)
        page = self.client.get(self.url).context["page"]
        self.assertCountEqual(list(page), [away, sick])
        self.assertEqual(
            list(self.client.get(self.url, {"status": "approved"}).context["page"]), [sick]
        )
        self.assertEqual(
            list(self.client.get(self.url, {"kind": self.away.pk}).context["page"]), [away]
        )
        by_class = self.client.get(self.url, {"admin_class": self.class_b.pk}).context["page"]
        self.assertEqual(list(by_class), [sick])
        self.assertEqual(
            list(self.client.get(self.url, {"date": "2024-04-20"}).context["page"]), []
        )
        self.assertEqual(len(self.client.get(self.url, {"date": "2024-04-15"}).context["page"]), 2)

    def test_a_class_outside_the_counsellors_reach_filters_nothing(self):
        ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url, {"admin_class": self.class_b.pk})
        self.assertEqual(len(response.context["page"]), 1)

    def test_a_student_gets_403(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_queries_stay_flat(self):
        ask(self.student_a, self.away, user=self.student)
        self.login(self.leader)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for number in range(5):
            person = make_person(f"20208{number}", f"学生{number}", admin_class=self.class_a)
            ask(person, self.away, user=self.student)
        with self.assertNumQueries(len(few)):
            self.client.get(self.url)
