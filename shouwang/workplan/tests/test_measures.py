import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.notify.models import Message
from shouwang.workplan import actions
from shouwang.workplan.models import Measure, Milestone, Report, Status, chinese_number

from .base import PlanTestCase, make_measure


class NumberingTests(PlanTestCase):
    def test_the_outline_is_numbered_as_the_college_numbers_it(self):
        self.assertEqual(
            [chinese_number(n) for n in (1, 5, 10, 15, 21)], ["一", "五", "十", "十五", "二十一"]
        )
        self.assertEqual(self.area.label, "一、")
        self.assertEqual(self.key_point.label, "（一）")
        second = make_measure(self, self.key_point, "组织专业认证")
        self.assertEqual((self.measure.number, second.number), (1, 2))
        self.assertEqual(str(second), "2. 组织专业认证")


class ReportScheduleTests(PlanTestCase):
    def test_reports_fall_due_monthly_from_the_start_to_the_due_date(self):
        measure = make_measure(
            self,
            self.key_point,
            "研究生招生宣传",
            starts_on=dt.date(2022, 3, 1),
            due_on=dt.date(2022, 6, 30),
        )
        dates = list(measure.reports.values_list("due_on", flat=True))
        self.assertEqual(dates, [dt.date(2022, month, 25) for month in (3, 4, 5, 6)])

    def test_saving_again_makes_no_second_report(self):
        count = Report.objects.count()
        actions.save_measure(self.measure, acting_user=self.leader)
        actions.schedule_reports(Measure.objects.all())
        self.assertEqual(Report.objects.count(), count)


class StateTests(PlanTestCase):
    @freeze_time("2022-04-16 09:00")
    def test_a_milestone_past_its_date_undone_makes_the_measure_late(self):
        actions.set_status(self.measure, Status.IN_PROGRESS, acting_user=self.teacher)
        milestone = actions.save_milestone(
            Milestone(measure=self.measure, title="提交申报书", due_on=dt.date(2022, 4, 15)),
            acting_user=self.teacher,
        )
        self.assertEqual(Measure.objects.with_state().get().current_state, Status.LATE)
        self.assertEqual(Measure.objects.get().current_state, Status.LATE)
        milestone.done_on = dt.date(2022, 4, 16)
        actions.save_milestone(milestone, acting_user=self.teacher)
        self.assertEqual(Measure.objects.with_state().get().current_state, Status.IN_PROGRESS)

    def test_an_owner_cannot_set_it_done_nor_late(self):
        for status in (Status.DONE, Status.LATE):
            with self.assertRaises(ValidationError):
                actions.set_status(self.measure, status, acting_user=self.teacher)

    def test_done_once_a_leader_accepts_the_reported_completion(self):
        with self.assertRaises(ValidationError):
            actions.decide_completion(self.measure, accept=True, acting_user=self.leader)
        actions.report_completion(self.measure, note="已获批", acting_user=self.teacher)
        self.assertEqual(Message.objects.get().recipient, self.leader_person)
        actions.decide_completion(self.measure, accept=True, acting_user=self.leader)
        self.assertEqual(Measure.objects.with_state().get().current_state, Status.DONE)
        with self.assertRaises(ValidationError):
            actions.set_status(self.measure, Status.IN_PROGRESS, acting_user=self.teacher)


class ExpenditureTests(PlanTestCase):
    def test_spending_past_the_budget_is_refused(self):
        actions.book_expenditure(
            self.measure,
            amount=Decimal(30000),
            spent_on=dt.date(2022, 4, 1),
            purpose="专家论证",
            acting_user=self.teacher,
        )
        with self.assertRaisesMessage(ValidationError, "50000"):
            actions.book_expenditure(
                self.measure,
                amount=Decimal("20000.01"),
                spent_on=dt.date(2022, 4, 2),
                purpose="材料印刷",
                acting_user=self.teacher,
            )
        self.assertEqual(self.measure.expenditures.count(), 1)


class HistoryTests(PlanTestCase):
    def test_every_change_is_in_the_measures_history(self):
        self.measure.budget = Decimal(60000)
        actions.save_measure(self.measure, co_owners=[], acting_user=self.leader)
        entries = LogEntry.objects.get_for_object(self.measure).order_by("pk")
        changed = entries.last()
        assert changed is not None
        self.assertEqual(changed.additional_data["changes"]["budget"], ["50000.00", "60000"])
        self.assertEqual(changed.additional_data["changes"]["co_owners"], ["赵璞", ""])
