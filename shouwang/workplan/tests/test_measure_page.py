import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.incidents.actions import record_meeting
from shouwang.workplan import actions
from shouwang.workplan.models import Expenditure, Measure, Milestone, Status

from .base import PlanTestCase, make_measure

PDF = b"%PDF-1.4 approval letter"


def count_testid(response, name: str) -> int:
    return response.content.decode().count(f'data-testid="{name}"')


class MeasurePageTests(PlanTestCase):
    def page(self, user, measure=None):
        self.login(user)
        response = self.client.get((measure or self.measure).get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response

    def post(self, name: str, data=None, *, args=None):
        return self.client.post(reverse(f"workplan:{name}", args=args or [self.measure.pk]), data)

    def test_the_title_shows_its_number_and_place_in_the_outline(self):
        response = self.page(self.counsellor_b_user)
        self.assertContains(response, "一、本科教育")
        self.assertContains(response, "（一）加强专业内涵建设")
        self.assertContains(response, "1. 推进国家一流专业建设")
        self.assertContains(response, 'data-state="not_started"')
        self.assertContains(response, "李明")
        self.assertContains(response, "赵璞")

    def test_the_meeting_decision_it_came_from_is_shown(self):
        meeting = record_meeting(
            None,
            held_at=dt.datetime(2022, 4, 10, 14, tzinfo=dt.timezone.utc),
            title="学院工作推进会",
            decisions=["启动研究生招生宣传"],
            is_online=True,
            acting_user=self.leader,
        )
        measure = actions.measure_from_decision(
            meeting.decisions.get(),
            Measure(
                key_point=self.key_point,
                title="研究生招生宣传",
                owner_unit=self.college,
                owner=self.teacher_person,
            ),
            acting_user=self.leader,
        )
        response = self.page(self.counsellor_b_user, measure)
        self.assertContains(response, "学院工作推进会")
        self.assertContains(response, "启动研究生招生宣传")

    @freeze_time("2022-04-16 09:00")
    def test_a_milestone_passed_undone_makes_it_late_until_marked_done(self):
        self.login(self.teacher)
        self.post("measure_status", {"status": Status.IN_PROGRESS})
        response = self.post("milestone_new", {"title": "提交申报书", "due_on": "2022-04-15"})
        self.assertRedirects(response, self.measure.get_absolute_url())
        response = self.page(self.teacher)
        self.assertContains(response, 'data-state="late"')
        self.assertContains(response, 'data-overdue="1"')
        milestone = Milestone.objects.get()
        self.post("milestone_done", {}, args=[self.measure.pk, milestone.pk])
        response = self.page(self.teacher)
        self.assertContains(response, 'data-state="in_progress"')
        self.assertNotContains(response, 'data-overdue="1"')
        self.assertEqual(Milestone.objects.get().done_on, dt.date(2022, 4, 16))

    def test_completion_accepted_makes_it_done_and_the_owner_sets_no_status(self):
        self.login(self.teacher)
        self.post("completion_report", {"note": "获批国家一流专业"})
        self.assertContains(self.page(self.teacher), 'data-testid="completion-reported"')
        self.assertEqual(count_testid(self.page(self.teacher), "decide-form"), 0)
        self.assertEqual(count_testid(self.page(self.leader), "decide-form"), 1)
        self.login(self.leader)
        response = self.post("completion_decide", {"decision": "accept", "comment": "同意"})
        self.assertRedirects(response, self.measure.get_absolute_url())
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.status, Status.DONE)
        response = self.page(self.teacher)
        self.assertContains(response, 'data-state="done"')
        self.assertEqual(count_testid(response, "status-form"), 0)
        self.login(self.teacher)
        response = self.post("measure_status", {"status": Status.PAUSED})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).status, Status.DONE)

    def test_a_returned_completion_goes_back_to_in_progress(self):
        actions.report_completion(self.measure, acting_user=self.teacher)
        self.login(self.leader)
        self.post("completion_decide", {"decision": "return", "comment": "材料不全"})
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.status, Status.IN_PROGRESS)
        self.assertContains(self.page(self.teacher), "材料不全")

    def test_an_owner_cannot_decide_the_completion(self):
        actions.report_completion(self.measure, acting_user=self.teacher)
        self.login(self.teacher)
        self.assertEqual(self.post("completion_decide", {"decision": "accept"}).status_code, 403)

    def test_spending_past_the_budget_is_refused_and_nothing_is_booked(self):
        self.login(self.counsellor_a_user)
        ok = {"amount": "30000", "spent_on": "2022-03-01", "purpose": "专家论证会"}
        self.assertEqual(self.post("expenditure_new", ok).status_code, 302)
        too_much = {"amount": "20000.01", "spent_on": "2022-03-02", "purpose": "教材建设"}
        response = self.post("expenditure_new", too_much)
        self.assertEqual(response.status_code, 200)
        self.assertIn("amount", response.context["expenditure_form"].errors)
        self.assertContains(response, "¥50000.01")
        self.assertEqual(Expenditure.objects.count(), 1)
        response = self.page(self.teacher)
        self.assertContains(response, 'data-testid="spent">¥30000.00<')
        self.assertContains(response, 'data-testid="left">¥20000.00<')
        self.assertContains(response, "专家论证会")

    def test_the_history_shows_a_budget_change_with_old_and_new_values_newest_first(self):
        self.measure.budget = Decimal("60000")
        actions.save_measure(self.measure, acting_user=self.leader)
        actions.book_expenditure(
            self.measure,
            amount=Decimal(1200),
            spent_on=dt.date(2022, 3, 1),
            purpose="调研差旅",
            acting_user=self.teacher,
        )
        self.page(self.counsellor_b_user)  # a read, not an action: not in the history
        response = self.page(self.teacher)
        history = response.context["history"]
        self.assertEqual(
            [entry.kind for entry, lines in history],
            [
                "workplan.expenditure_booked",
                "workplan.measure_saved",
                "workplan.measure_saved",
            ],
        )
        self.assertIn("调研差旅", " ".join(history[0][1]))
        budget_line = [line for line in history[1][1] if "50000" in line]
        self.assertEqual(len(budget_line), 1)
        self.assertIn("50000.00 → 60000", budget_line[0])
        self.assertContains(response, "孙书记")

    def test_staff_who_do_not_own_it_see_the_outline_not_the_budget_nor_history(self):
        actions.save_milestone(
            Milestone(measure=self.measure, title="提交申报书", due_on=dt.date(2022, 4, 15)),
            acting_user=self.teacher,
        )
        actions.book_expenditure(
            self.measure,
            amount=Decimal(1200),
            spent_on=dt.date(2022, 3, 1),
            purpose="调研差旅",
            acting_user=self.teacher,
        )
        response = self.page(self.counsellor_b_user)
        self.assertContains(response, "推进国家一流专业建设")
        self.assertContains(response, "提交申报书")
        self.assertContains(response, 'data-testid="state"')
        for hidden in ("budget", "expenditures", "reports", "history", "status-form"):
            self.assertEqual(count_testid(response, hidden), 0, hidden)
        self.assertNotContains(response, "调研差旅")
        self.assertNotContains(response, "50000")
        response = self.page(self.teacher)
        for shown in ("budget", "expenditures", "reports", "history", "status-form"):
            self.assertEqual(count_testid(response, shown), 1, shown)

    def test_a_leader_marks_a_breakthrough_whose_evidence_every_staff_member_downloads(self):
        self.login(self.teacher)
        self.assertEqual(self.post("breakthrough", {"text": "获批"}).status_code, 403)
        self.login(self.leader)
        letter = SimpleUploadedFile("批文.pdf", PDF, content_type="application/pdf")
        response = self.post(
            "breakthrough", {"text": "获批国家一流本科专业建设点", "files": [letter]}
        )
        self.assertRedirects(response, self.measure.get_absolute_url())
        response = self.page(self.counsellor_b_user)
        self.assertContains(response, "获批国家一流本科专业建设点")
        self.assertContains(response, 'data-testid="breakthrough-badge"')
        evidence = self.measure.evidence.get()
        download = self.client.get(reverse("workplan:evidence_download", args=[evidence.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertTrue(download["Content-Disposition"].startswith("attachment"))
        self.assertEqual(download.getvalue(), PDF)
        self.login(self.student)
        missing = self.client.get(reverse("workplan:evidence_download", args=[evidence.pk]))
        self.assertEqual(missing.status_code, 404)

    def test_evidence_that_is_not_a_document_is_refused(self):
        self.login(self.leader)
        fake = SimpleUploadedFile("批文.pdf", b"MZ\x90\x00" + b"\0" * 200)
        response = self.post("breakthrough", {"text": "获批", "files": [fake]})
        self.assertEqual(response.status_code, 200)
        self.assertIn("files", response.context["breakthrough_form"].errors)
        self.measure.refresh_from_db()
        self.assertFalse(self.measure.is_breakthrough)

    def test_the_query_count_does_not_grow_with_milestones_expenditures_and_reports(self):
        def queries() -> int:
            self.login(self.teacher)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.measure.get_absolute_url()).status_code, 200)
            return len(captured)

        def add(count: int, start: int) -> None:
            for n in range(start, start + count):
                actions.save_milestone(
                    Milestone(measure=self.measure, title=f"节点{n}", due_on=dt.date(2022, 5, n)),
                    acting_user=self.teacher,
                )
                actions.book_expenditure(
                    self.measure,
                    amount=Decimal(100),
                    spent_on=dt.date(2022, 5, n),
                    purpose=f"用途{n}",
                    acting_user=self.teacher,
                )

        add(1, 1)
        few = queries()
        add(6, 2)
        other = make_measure(self, self.key_point, "研究生招生宣传")
        actions.submit_report(
            other.reports.earliest("due_on"), text="已完成", acting_user=self.teacher
        )
        for report in self.measure.reports.all()[:4]:
            actions.submit_report(report, text="已完成", acting_user=self.teacher)
        self.assertEqual(queries(), few)
