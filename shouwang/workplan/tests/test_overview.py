import datetime as dt
import io
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from shouwang.core.models import LogEntry
from shouwang.workplan import actions, queries
from shouwang.workplan.audit import WorkplanEvent
from shouwang.workplan.models import Area, KeyPoint, Measure, Milestone, Status

from .base import PlanTestCase, make_measure

TODAY = dt.date(2022, 6, 10)
NOW = "2022-06-10 09:00"


class OverviewTestCase(PlanTestCase):
    """Two areas. 一、本科教育 (一) holds the teacher's measure (co-owned by
    counsellor_a): in progress, a milestone past its date and one to come,
    three expenditures, its January report written; and a paused measure with
    a milestone past its date. 二、人才引育 (一) and (二) hold a measure done
    and a breakthrough, and one not started."""

    paused: Measure
    talent: Area
    done: Measure
    idle: Measure

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        leader = cls.leader
        actions.set_status(cls.measure, Status.IN_PROGRESS, acting_user=cls.teacher)
        for title, due in (("提交申报书", dt.date(2022, 5, 1)), ("专家论证", dt.date(2022, 7, 1))):
            actions.save_milestone(
                Milestone(measure=cls.measure, title=title, due_on=due), acting_user=cls.teacher
            )
        for amount, day in ((1000, 3), (2000, 4), (3000, 5)):
            actions.book_expenditure(
                cls.measure,
                amount=Decimal(amount),
                spent_on=dt.date(2022, day, 1),
                purpose="专家咨询",
                acting_user=cls.teacher,
            )
        with freeze_time("2022-01-24 10:00"):
            actions.submit_report(
                cls.measure.reports.get(due_on=dt.date(2022, 1, 25)),
                text="完成申报材料初稿",
                acting_user=cls.teacher,
            )
        cls.paused = make_measure(cls, cls.key_point, "组织专业认证", budget=Decimal(20000))
        actions.set_status(cls.paused, Status.PAUSED, acting_user=cls.teacher)
        actions.save_milestone(
            Milestone(measure=cls.paused, title="自评报告", due_on=dt.date(2022, 3, 1)),
            acting_user=cls.teacher,
        )
        cls.talent = actions.save_area(Area(plan=cls.plan, title="人才引育"), acting_user=leader)
        first = actions.save_key_point(
            KeyPoint(area=cls.talent, title="引进高层次人才"), acting_user=leader
        )
        second = actions.save_key_point(
            KeyPoint(area=cls.talent, title="培育青年教师"), acting_user=leader
        )
        cls.done = make_measure(
            cls, first, "引进学科带头人", owner=cls.counsellor_b, budget=Decimal(100000)
        )
        actions.report_completion(cls.done, acting_user=cls.counsellor_b_user)
        actions.decide_completion(cls.done, accept=True, acting_user=leader)
        actions.mark_breakthrough(cls.done, text="引进国家级人才1名", acting_user=leader)
        cls.idle = make_measure(cls, second, "青年教师导师制", owner=cls.counsellor_b)

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def add_measures(self, count: int) -> None:
        key_point = KeyPoint.objects.get(area=self.talent, number=2)
        for n in range(count):
            measure = make_measure(self, key_point, f"补充举措{n}", co_owners=[self.counsellor_a])
            actions.save_milestone(
                Milestone(measure=measure, title="节点", due_on=dt.date(2022, 2, 1)),
                acting_user=self.leader,
            )
            actions.book_expenditure(
                measure,
                amount=Decimal(10),
                spent_on=dt.date(2022, 2, 1),
                purpose="办公",
                acting_user=self.leader,
            )

    def statements(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(captured.captured_queries)


class FiguresTests(OverviewTestCase):
    def test_the_seeds_figures_are_counted_from_the_plan(self):
        self.assertEqual(queries.plan_figures(self.plan), queries.Figures(2, 3, 4))
        with self.assertNumQueries(1):
            queries.plan_figures(self.plan)

    @freeze_time(NOW)
    def test_the_overview_says_the_seed_sentence(self):
        self.login(self.leader)
        response = self.client.get(reverse("workplan:plan_overview", args=[self.plan.pk]))
        seed = response.context["overview"]
        self.assertEqual(seed.figures, queries.Figures(2, 3, 4))
        self.assertContains(response, 'data-areas="2" data-key-points="3" data-measures="4"')
        self.assertContains(
            response, "Around 本科教育、人才引育, 2 areas, refined into 3 key points"
        )


class OverviewTests(OverviewTestCase):
    def test_measures_by_state_late_from_a_milestone_past_its_date(self):
        built = queries.overview(self.plan, TODAY)
        teaching, talent = built.rows
        self.assertEqual(
            teaching.by_state,
            [("not_started", 0), ("in_progress", 0), ("done", 0), ("late", 1), ("paused", 1)],
        )
        self.assertEqual(
            talent.by_state,
            [("not_started", 1), ("in_progress", 0), ("done", 1), ("late", 0), ("paused", 0)],
        )
        self.assertEqual(built.total.measures, 4)
        # Before the milestone's date the measure is in progress.
        early = queries.overview(self.plan, dt.date(2022, 4, 1))
        self.assertEqual((early.rows[0].in_progress, early.rows[0].late), (1, 0))

    def test_spent_and_milestones_are_not_multiplied_by_each_other(self):
        built = queries.overview(self.plan, TODAY)
        teaching, talent = built.rows
        # The measure has 3 expenditures and 2 milestones: a join would say 12,000 and 3.
        self.assertEqual(teaching.spent, Decimal(6000))
        self.assertEqual(teaching.budget, Decimal(70000))
        self.assertEqual(teaching.milestones_overdue, 2)  # one each: the late and the paused
        self.assertEqual((talent.spent, talent.budget), (Decimal(0), Decimal(150000)))
        self.assertEqual((built.total.spent, built.total.budget), (Decimal(6000), Decimal(220000)))
        self.assertEqual(built.total.left, Decimal(214000))

    def test_breakthroughs_reports_and_the_last_report(self):
        built = queries.overview(self.plan, TODAY)
        teaching, talent = built.rows
        self.assertEqual((teaching.breakthroughs, talent.breakthroughs), (0, 1))
        assert teaching.last_report_at is not None
        self.assertEqual(teaching.last_report_at.date(), dt.date(2022, 1, 24))
        self.assertIsNone(talent.last_report_at)
        self.assertEqual(built.total.last_report_at, teaching.last_report_at)
        # Reports fall due on the 25th from January: five by 10 June, one written.
        self.assertEqual(teaching.reports_overdue, 4 + 5)
        self.assertEqual(talent.reports_overdue, 5 + 5)

    @freeze_time(NOW)
    def test_the_page_lists_the_measures_of_a_state(self):
        self.login(self.leader)
        url = reverse("workplan:plan_overview", args=[self.plan.pk])
        response = self.client.get(url)
        self.assertContains(response, 'data-testid="area-row"', count=2)
        self.assertContains(response, f'href="?state=late&amp;area={self.area.pk}#measures"')
        self.assertNotContains(response, 'data-testid="listed"')
        response = self.client.get(url, {"state": "late"})
        self.assertEqual([m.pk for m in response.context["listed"]], [self.measure.pk])
        response = self.client.get(url, {"area": self.talent.pk})
        self.assertEqual({m.pk for m in response.context["listed"]}, {self.done.pk, self.idle.pk})

    @freeze_time(NOW)
    def test_the_query_count_does_not_grow_with_the_measures(self):
        with CaptureQueriesContext(connection) as small:
            queries.overview(self.plan, TODAY)
        self.login(self.leader)
        url = reverse("workplan:plan_overview", args=[self.plan.pk])
        page = self.statements(url)
        listed = self.statements(f"{url}?state=late")
        self.add_measures(6)
        with CaptureQueriesContext(connection) as large:
            built = queries.overview(self.plan, TODAY)
        self.assertEqual(built.total.measures, 10)
        self.assertEqual(built.total.late, 7)
        self.assertEqual(len(small.captured_queries), 5)
        self.assertEqual(len(large.captured_queries), 5)
        self.assertEqual(self.statements(url), page)
        self.assertEqual(self.statements(f"{url}?state=late"), listed)


class MyMeasuresTests(OverviewTestCase):
    @freeze_time(NOW)
    def test_an_owner_sees_the_measures_they_own_or_co_own(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("workplan:my_measures"))
        (measure,) = response.context["measures"]
        self.assertEqual(measure.pk, self.measure.pk)  # co-owned
        self.assertEqual(measure.state, Status.LATE)
        self.assertEqual(measure.left, Decimal(44000))
        self.assertEqual(
            (measure.next_milestone, measure.next_milestone_on), ("提交申报书", dt.date(2022, 5, 1))
        )
        self.assertEqual(
            (measure.next_report_on, measure.next_report_at), (dt.date(2022, 6, 25), None)
        )
        self.assertContains(response, 'data-written="no"')
        self.assertContains(response, "44000.00")

        self.login(self.teacher)
        mine = self.client.get(reverse("workplan:my_measures")).context["measures"]
        self.assertEqual({m.pk for m in mine}, {self.measure.pk, self.paused.pk})

    @freeze_time(NOW)
    def test_a_written_next_report_shows_written(self):
        actions.submit_report(
            self.idle.reports.get(due_on=dt.date(2022, 6, 25)),
            text="已完成",
            acting_user=self.counsellor_b_user,
        )
        self.login(self.counsellor_b_user)
        response = self.client.get(reverse("workplan:my_measures"))
        rows = {m.pk: m for m in response.context["measures"]}
        self.assertEqual(set(rows), {self.done.pk, self.idle.pk})
        self.assertIsNotNone(rows[self.idle.pk].next_report_at)
        self.assertEqual(rows[self.done.pk].state, Status.DONE)
        self.assertContains(response, 'data-written="yes"', count=1)

    @freeze_time(NOW)
    def test_the_query_count_does_not_grow_with_the_measures(self):
        self.login(self.counsellor_a_user)
        url = reverse("workplan:my_measures")
        before = self.statements(url)
        self.add_measures(5)
        self.assertEqual(len(self.client.get(url).context["measures"]), 6)
        self.assertEqual(self.statements(url), before)


class ExportTests(OverviewTestCase):
    def workbook(self):
        response = self.client.get(reverse("workplan:plan_export", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        return load_workbook(io.BytesIO(response.content), read_only=True)

    @freeze_time(NOW)
    def test_a_row_per_measure_and_the_overview_per_area(self):
        self.login(self.leader)
        book = self.workbook()
        measures, overview = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
        header, *rows = measures
        self.assertEqual(len(rows), 4)
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["area"], "一、本科教育")
        self.assertEqual(row["key point"], "（一）加强专业内涵建设")
        self.assertEqual(row["numbering"], "一、（一）1.")
        self.assertEqual(row["measure"], "推进国家一流专业建设")
        self.assertEqual((row["owner"], row["co-owners"]), ("李明", "赵璞"))
        self.assertEqual(row["state"], "late")
        self.assertEqual((row["budget (yuan)"], row["spent (yuan)"]), (50000, 6000))
        self.assertEqual(row["milestones overdue"], 1)
        self.assertEqual(row["last report"].date(), dt.date(2022, 1, 24))
        done = dict(zip(header, rows[2], strict=True))
        self.assertEqual((done["numbering"], done["state"]), ("二、（一）1.", "done"))
        self.assertEqual(done["breakthrough"], "引进国家级人才1名")
        self.assertEqual(
            [r[0] for r in overview], ["area", "一、本科教育", "二、人才引育", "whole plan"]
        )
        self.assertEqual(overview[-1][2], 4)
        self.assertEqual(LogEntry.objects.filter(kind=WorkplanEvent.EXPORTED).count(), 1)

    @freeze_time(NOW)
    def test_the_query_count_does_not_grow_with_the_measures(self):
        self.login(self.leader)
        url = reverse("workplan:plan_export", args=[self.plan.pk])
        before = self.statements(url)
        self.add_measures(5)
        self.assertEqual(self.statements(url), before)
