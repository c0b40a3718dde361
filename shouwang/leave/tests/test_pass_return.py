"""The return where no gate scans (reported by the holder, confirmed by their
counsellor or a leader), the request page's pass box, and those not back in
time: the counsellor's list at once, the leaders' a day later, each told once."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time as freeze

from shouwang.accounts.models import User
from shouwang.core.models import LogEntry
from shouwang.core.scheduler import JOBS
from shouwang.leave import actions, tasks
from shouwang.leave.audit import LeaveEvent
from shouwang.leave.models import LeaveRequest, LeaveStep
from shouwang.leave.overdue import tell_overdue
from shouwang.notify.models import Message
from shouwang.test import make_person, make_user

from .base import BEIJING, ask
from .test_pass_gate import START, GateTestCase

Event = LeaveStep.Event


class ReturnTests(GateTestCase):
    def test_the_holder_reports_back_and_the_counsellor_confirms(self):
        leave = self.approved()
        self.login(self.student)
        with freeze(START + dt.timedelta(hours=3)):
            response = self.client.post(reverse("leave:report_back", args=[leave.pk]))
        self.assertRedirects(response, leave.get_absolute_url(), fetch_redirect_response=False)
        self.login(self.counsellor_a_user)
        with freeze(START + dt.timedelta(hours=4)):
            self.client.post(reverse("leave:confirm_back", args=[leave.pk]))
        leave.refresh_from_db()
        self.assertEqual(leave.back_at, START + dt.timedelta(hours=3))
        self.assertEqual(
            list(
                leave.history.filter(
                    event__in=[Event.BACK_REPORTED, Event.BACK_CONFIRMED]
                ).values_list("event", "by")
            ),
            [
                (Event.BACK_REPORTED, self.student_a.pk),
                (Event.BACK_CONFIRMED, self.counsellor_a.pk),
            ],
        )

    def test_a_leader_over_the_holder_may_confirm(self):
        leave = self.approved()
        with freeze(START):
            actions.report_back(leave, acting_user=self.student)
        self.login(self.leader)
        self.client.post(reverse("leave:confirm_back", args=[leave.pk]))
        leave.refresh_from_db()
        self.assertIsNotNone(leave.back_at)

    def test_only_the_holder_reports_back(self):
        leave = self.approved()
        self.login(self.counsellor_a_user)
        response = self.client.post(reverse("leave:report_back", args=[leave.pk]))
        self.assertEqual(response.status_code, 403)
        self.login(self.student_b_user)
        response = self.client.post(reverse("leave:report_back", args=[leave.pk]))
        self.assertEqual(response.status_code, 404)
        leave.refresh_from_db()
        self.assertIsNone(leave.back_reported_at)

    def test_the_holder_does_not_confirm_their_own_return(self):
        leave = self.approved()
        with freeze(START):
            actions.report_back(leave, acting_user=self.student)
        self.login(self.student)
        response = self.client.post(reverse("leave:confirm_back", args=[leave.pk]))
        self.assertEqual(response.status_code, 403)
        self.login(self.counsellor_b_user)
        response = self.client.post(reverse("leave:confirm_back", args=[leave.pk]))
        self.assertEqual(response.status_code, 404)
        leave.refresh_from_db()
        self.assertIsNone(leave.back_at)

    def test_nothing_to_confirm_says_so(self):
        leave = self.approved()
        self.login(self.counsellor_a_user)
        with translation.override("en"):
            response = self.client.post(reverse("leave:confirm_back", args=[leave.pk]), follow=True)
        self.assertContains(response, "no reported return to confirm")


class PassageBoxTests(GateTestCase):
    def box(self, leave: LeaveRequest, user: User) -> str:
        request = RequestFactory().get("/")
        request.user = user
        with translation.override("en"):
            return render_to_string(
                "leave/includes/passage.html", {"leave": leave, "request": request}
            )

    def test_the_holder_gets_the_pass_and_reports_back(self):
        leave = self.approved()
        with freeze(START + dt.timedelta(hours=1)):
            html = self.box(leave, self.student)
        self.assertIn(reverse("leave:pass", args=[leave.pk]), html)
        self.assertIn("not yet out", html)
        self.assertIn(reverse("leave:report_back", args=[leave.pk]), html)
        self.assertNotIn("confirm-back", html)

    def test_the_counsellor_gets_the_confirm_button_once_reported(self):
        leave = self.approved()
        with freeze(START):
            actions.pass_gate(leave, acting_user=self.gate_keeper)
        with freeze(START + dt.timedelta(hours=3)):
            actions.report_back(leave, acting_user=self.student)
        leave.refresh_from_db()
        html = self.box(leave, self.counsellor_a_user)
        self.assertIn(reverse("leave:confirm_back", args=[leave.pk]), html)
        self.assertIn("reported back at", html)
        self.assertNotIn("report-back", html)
        self.assertNotIn(
            reverse("leave:confirm_back", args=[leave.pk]), self.box(leave, self.student)
        )

    def test_a_pending_request_has_no_box(self):
        leave = ask(self.student_a, self.sick, user=self.student)
        self.assertEqual(self.box(leave, self.student).strip(), "")


class OverdueTestCase(GateTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_other_college()

    def setUp(self) -> None:
        super().setUp()
        # student_a away until Tuesday 08:00; student_b's sick leave, back in time.
        self.late = self.approved()
        with freeze(START):
            actions.pass_gate(self.late, acting_user=self.gate_keeper)
        self.in_time = ask(self.student_b, self.sick, user=self.student_b_user)
        actions.decide(self.in_time, Event.APPROVED, acting_user=self.counsellor_b_user)
        with freeze(START):
            actions.pass_gate(self.in_time, acting_user=self.gate_keeper)
            actions.pass_gate(self.in_time, acting_user=self.gate_keeper)
        self.other = ask(
            self.student_c, self.away, user=self.student_c_user, city=BEIJING, days=0.5
        )
        LeaveRequest.objects.filter(pk=self.other.pk).update(status=LeaveRequest.Status.APPROVED)

    def listed(self, user: User, at: dt.datetime) -> list[str]:
        self.login(user)
        with freeze(at):
            response = self.client.get(reverse("leave:overdue"))
        self.assertEqual(response.status_code, 200)
        return [leave.person.name for leave in response.context["leaves"]]


class OverdueTests(OverdueTestCase):
    def test_the_counsellor_sees_their_classes_at_once(self):
        hour_late = self.late.ends_at + dt.timedelta(hours=1)
        self.assertEqual(self.listed(self.counsellor_a_user, hour_late), ["张三"])
        self.assertEqual(self.listed(self.counsellor_b_user, hour_late), [])
        self.assertEqual(self.listed(self.counsellor_c_user, hour_late), ["郑六"])
        self.assertEqual(self.listed(self.counsellor_a_user, self.late.ends_at), [])

    def test_leaders_see_those_a_day_late_in_their_reach(self):
        hour_late = self.late.ends_at + dt.timedelta(hours=1)
        self.assertEqual(self.listed(self.leader, hour_late), [])
        day_late = self.late.ends_at + dt.timedelta(days=1, minutes=1)
        self.assertEqual(self.listed(self.leader, day_late), ["张三"])
        self.assertEqual(sorted(self.listed(self.university_leader, day_late)), ["张三", "郑六"])
        self.assertEqual(sorted(self.listed(self.admin, hour_late)), ["张三", "郑六"])

    def test_the_list_shows_how_late_and_where_with_the_phone_masked(self):
        self.login(self.counsellor_a_user)
        with freeze(self.late.ends_at + dt.timedelta(hours=5)), translation.override("en"):
            response = self.client.get(reverse("leave:overdue"))
        self.assertContains(response, "5\xa0hours")
        self.assertContains(response, "北京")
        self.assertContains(response, "138****0000")
        self.assertNotContains(response, "13800000000")
        entry = LogEntry.objects.get_for_object(self.late).get(kind=LeaveEvent.OVERDUE_LISTED)
        self.assertEqual(entry.actor, self.counsellor_a_user)

    def test_the_list_reads_in_a_fixed_number_of_queries(self):
        for number in range(3):
            person = make_person(f"202000{number + 5}", f"学生{number}", admin_class=self.class_a)
            leave = ask(person, self.sick, user=make_user(person))
            LeaveRequest.objects.filter(pk=leave.pk).update(status=LeaveRequest.Status.APPROVED)
        self.login(self.counsellor_a_user)
        self.client.get(reverse("leave:overdue"))  # the session and its caches
        with freeze(self.late.ends_at + dt.timedelta(hours=1)), self.assertNumQueries(6):
            response = self.client.get(reverse("leave:overdue"))
        self.assertEqual(len(response.context["leaves"]), 4)

    def test_back_reported_is_still_listed_until_confirmed(self):
        with freeze(self.late.ends_at + dt.timedelta(minutes=30)):
            actions.report_back(self.late, acting_user=self.student)
        hour_late = self.late.ends_at + dt.timedelta(hours=1)
        self.assertEqual(self.listed(self.counsellor_a_user, hour_late), ["张三"])
        actions.confirm_back(self.late, acting_user=self.counsellor_a_user)
        self.assertEqual(self.listed(self.counsellor_a_user, hour_late), [])

    def test_others_may_not_see_the_list(self):
        for user in (self.student, self.volunteer, self.teacher, self.gate_keeper):
            self.login(user)
            self.assertEqual(self.client.get(reverse("leave:overdue")).status_code, 403)


class OverdueMessageTests(OverdueTestCase):
    def told(self, person) -> int:
        return Message.objects.filter(
            recipient=person, link=self.late.get_absolute_url(), key__startswith="leave:overdue:"
        ).count()

    def test_the_job_runs_every_fifteen_minutes(self):
        self.assertEqual(JOBS[tasks.tell_overdue.module_path].cron, "*/15 * * * *")

    def test_the_counsellor_is_told_once_then_the_leaders_a_day_later(self):
        with freeze(self.late.ends_at + dt.timedelta(minutes=15)):
            tell_overdue()
            tell_overdue()
        self.assertEqual(self.told(self.counsellor_a), 1)
        self.assertEqual(self.told(self.leader_person), 0)
        with freeze(self.late.ends_at + dt.timedelta(hours=23)):
            tell_overdue()
        self.assertEqual(self.told(self.leader_person), 0)
        with freeze(self.late.ends_at + dt.timedelta(days=1, minutes=15)):
            tell_overdue()
            tell_overdue()
        self.assertEqual(self.told(self.counsellor_a), 1)
        self.assertEqual(self.told(self.leader_person), 1)
        # The other college's leader hears nothing of this college's student.
        self.assertEqual(
            Message.objects.filter(
                recipient=self.leader_b.person, link=self.late.get_absolute_url()
            ).count(),
            0,
        )

    def test_a_double_run_sends_once(self):
        # Two runs that both read the leave before either marked it.
        at = self.late.ends_at + dt.timedelta(minutes=15)
        with freeze(at):
            tell_overdue()
        LeaveRequest.objects.filter(pk=self.late.pk).update(overdue_told_at=None)
        with freeze(at):
            self.assertEqual(tell_overdue(), 0)
        self.assertEqual(self.told(self.counsellor_a), 1)

    def test_an_extension_makes_it_news_again(self):
        with freeze(self.late.ends_at + dt.timedelta(days=1, minutes=15)):
            tell_overdue()
            later = self.late.ends_at + dt.timedelta(days=3)
            change = actions.ask_change(
                self.late, LeaveRequest.Change.EXTEND, "复查推迟", later, acting_user=self.student
            )
            actions.decide(change, Event.APPROVED, acting_user=self.counsellor_a_user)
            actions.decide(change, Event.APPROVED, acting_user=self.leader)
        self.late.refresh_from_db()
        self.assertIsNone(self.late.leaders_told_at)
        with freeze(later + dt.timedelta(minutes=15)):
            tell_overdue()
        self.assertEqual(self.told(self.counsellor_a), 2)

    def test_the_task_runs_inline(self):
        with freeze(self.late.ends_at + dt.timedelta(minutes=15)):
            result = tasks.tell_overdue.call()
        self.assertGreaterEqual(result, 2)  # counsellor_a and counsellor_c
