"""A plan and its outline entered in the page: the leader makes them, staff
read the outline (without the budgets), owners edit their own measures."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.test import make_person
from shouwang.workplan import actions
from shouwang.workplan.audit import WorkplanEvent
from shouwang.workplan.models import Area, KeyPoint, Measure, Milestone, Plan, Status

from .base import PlanTestCase, make_measure

LINE = re.compile(r'data-testid="(area-title|key-point-title|measure-title)"[^>]*>([^<]*)<')
BUDGET = re.compile(
    r'data-testid="measure" data-pk="(\d+)".*?data-testid="budget">([^<]*)<', re.DOTALL
)
STATE = re.compile(r'data-testid="state" data-state="(\w+)"')


def outline_of(response) -> list[tuple[str, str]]:
    """The outline's lines as the page shows them: (kind, text)."""
    return [(kind, text.strip()) for kind, text in LINE.findall(response.content.decode())]


def budgets_of(response) -> dict[int, str]:
    """Each measure's budget cell, by the measure's pk."""
    return {int(pk): text.strip() for pk, text in BUDGET.findall(response.content.decode())}


class LeaderEntersAPlanTests(PlanTestCase):
    def test_leader_creates_a_plan_and_its_outline_numbered_as_the_college_does(self):
        self.login(self.leader)
        listing = self.client.get(reverse("workplan:plan_list"))
        self.assertContains(listing, 'data-testid="plan-new"')
        response = self.client.post(
            reverse("workplan:plan_new"),
            {
                "title": "2023年学院工作要点",
                "year": 2023,
                "unit": self.college.pk,
                "report_every": Plan.Every.QUARTER,
                "report_day": 20,
                "remind_days": 5,
            },
        )
        plan = Plan.objects.get(title="2023年学院工作要点")
        self.assertRedirects(response, plan.get_absolute_url())
        self.assertEqual((plan.report_every, plan.report_day, plan.remind_days), (3, 20, 5))

        for title in ("党建团学", "本科教育"):
            self.client.post(reverse("workplan:area_new", args=[plan.pk]), {"title": title})
        second = Area.objects.get(plan=plan, title="本科教育")
        for title in ("加强专业内涵建设", "深化教学改革"):
            self.client.post(reverse("workplan:key_point_new", args=[second.pk]), {"title": title})
        reform = KeyPoint.objects.get(area=second, title="深化教学改革")
        for title, budget in (("推进国家一流专业建设", "50000"), ("组织专业认证", "8000.50")):
            response = self.client.post(
                reverse("workplan:measure_new", args=[reform.pk]),
                {
                    "title": title,
                    "owner_unit": self.college.pk,
                    "owner": "李明",
                    "co_owners": "T1001、钱老师",
                    "starts_on": "2023-03-01",
                    "due_on": "2023-09-30",
                    "budget": budget,
                },
            )
            self.assertEqual(response.status_code, 302)
        certification = Measure.objects.get(key_point=reform, title="组织专业认证")
        self.assertRedirects(
            response, certification.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(certification.owner, self.teacher_person)
        self.assertEqual(set(certification.co_owners.all()), {self.counsellor_a, self.counsellor_b})
        self.assertEqual(certification.budget, Decimal("8000.50"))
        # Quarterly reports from March to September.
        self.assertEqual(
            list(certification.reports.values_list("due_on", flat=True)),
            [dt.date(2023, 3, 20), dt.date(2023, 6, 20), dt.date(2023, 9, 20)],
        )

        page = self.client.get(plan.get_absolute_url())
        self.assertEqual(
            outline_of(page),
            [
                ("area-title", "一、党建团学"),
                ("area-title", "二、本科教育"),
                ("key-point-title", "（一）加强专业内涵建设"),
                ("key-point-title", "（二）深化教学改革"),
                ("measure-title", "1. 推进国家一流专业建设"),
                ("measure-title", "2. 组织专业认证"),
            ],
        )
        # The leader sees every budget.
        self.assertEqual(set(budgets_of(page).values()), {"50000", "8000.50"})
        # Each area and key point is in the plan's history.
        self.assertEqual(
            LogEntry.objects.get_for_object(plan).filter(kind=WorkplanEvent.OUTLINE_SAVED).count(),
            4,
        )

    def test_leader_edits_the_plan_an_area_and_a_key_point(self):
        self.login(self.leader)
        self.client.post(
            reverse("workplan:plan_edit", args=[self.plan.pk]),
            {
                "title": "2022年学院工作要点（修订）",
                "year": 2022,
                "unit": self.college.pk,
                "report_every": Plan.Every.MONTH,
                "report_day": 25,
                "remind_days": 3,
            },
        )
        self.client.post(reverse("workplan:area_edit", args=[self.area.pk]), {"title": "本科教学"})
        self.client.post(
            reverse("workplan:key_point_edit", args=[self.key_point.pk]), {"title": "专业建设"}
        )
        self.plan.refresh_from_db()
        self.area.refresh_from_db()
        self.key_point.refresh_from_db()
        self.assertEqual(self.plan.title, "2022年学院工作要点（修订）")
        self.assertEqual((self.area.title, self.area.number), ("本科教学", 1))
        self.assertEqual((self.key_point.title, self.key_point.number), ("专业建设", 1))

    def test_a_title_taken_in_its_area_is_refused(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:key_point_new", args=[self.area.pk]), {"title": "加强专业内涵建设"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.area.key_points.count(), 1)

    def test_a_name_two_people_share_is_refused_and_the_number_is_asked_for(self):
        make_person("T3001", "李明", "teacher", unit=self.college)
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:measure_new", args=[self.key_point.pk]),
            {"title": "科研项目申报", "owner_unit": self.college.pk, "owner": "李明", "budget": 0},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("owner", response.context["form"].errors)
        self.assertFalse(Measure.objects.filter(title="科研项目申报").exists())

    def test_a_measure_carried_by_a_branch_and_a_post_is_refused(self):
        from shouwang.volunteers.models import Team

        post = Team.objects.create(name="教师党员先锋岗", kind=Team.Kind.TEACHER_VANGUARD_POST)
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:measure_new", args=[self.key_point.pk]),
            {
                "title": "科研项目申报",
                "owner_unit": self.college.pk,
                "owner": "T1010",
                "budget": 0,
                "branch": self.party_branch.pk,
                "post": post.pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Measure.objects.filter(title="科研项目申报").exists())

    def test_a_leader_may_not_place_a_plan_in_a_unit_they_do_not_lead(self):
        self.create_other_college()
        self.login(self.leader)
        response = self.client.post(
            reverse("workplan:plan_new"),
            {
                "title": "会计学院工作要点",
                "year": 2022,
                "unit": self.college_b.pk,
                "report_every": 1,
                "report_day": 25,
                "remind_days": 3,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Plan.objects.filter(title="会计学院工作要点").exists())


class StaffReadTheOutlineTests(PlanTestCase):
    other: Measure

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_measure(
            cls,  # type: ignore[arg-type]
            cls.key_point,
            "组织专业认证",
            owner=cls.supervisor_person,
            budget=Decimal(8000),
        )

    def test_staff_see_the_outline_and_states_but_not_the_budgets(self):
        self.login(self.counsellor_b_user)
        page = self.client.get(self.plan.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            [text for kind, text in outline_of(page) if kind == "measure-title"],
            ["1. 推进国家一流专业建设", "2. 组织专业认证"],
        )
        self.assertEqual(budgets_of(page), {self.measure.pk: "—", self.other.pk: "—"})
        self.assertNotContains(page, "50000")
        self.assertNotContains(page, 'data-testid="measure-new"')
        self.assertNotContains(page, 'data-testid="plan-import"')

    def test_an_owner_sees_the_budget_of_their_own_measure_only(self):
        self.login(self.teacher)
        page = self.client.get(self.plan.get_absolute_url())
        self.assertEqual(budgets_of(page), {self.measure.pk: "50000", self.other.pk: "—"})

    def test_each_measure_shows_its_state(self):
        actions.set_status(self.other, Status.IN_PROGRESS, acting_user=self.supervisor)
        Milestone.objects.create(measure=self.measure, title="申报书", due_on=dt.date(2000, 1, 1))
        self.login(self.counsellor_b_user)
        page = self.client.get(self.plan.get_absolute_url()).content.decode()
        self.assertEqual(STATE.findall(page), ["late", "in_progress"])

    def test_students_find_no_plan(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.plan.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("workplan:plan_list")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("workplan:measure_edit", args=[self.measure.pk])).status_code,
            404,
        )

    def test_the_outline_is_read_in_as_many_queries_however_many_measures(self):
        self.login(self.counsellor_b_user)
        url = self.plan.get_absolute_url()
        self.client.get(url)  # the session and the user's reach, read once

        def queries() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured)

        few = queries()
        area = actions.save_area(Area(plan=self.plan, title="学科建设"), acting_user=self.leader)
        point = actions.save_key_point(KeyPoint(area=area, title="科研"), acting_user=self.leader)
        for number in range(8):
            make_measure(self, point, f"科研项目{number}", owner=self.counsellor_b)
        self.assertEqual(queries(), few)


class OwnersEditTheirMeasuresTests(PlanTestCase):
    def test_the_owner_edits_their_measure_but_not_its_budget_or_owner(self):
        self.login(self.teacher)
        url = reverse("workplan:measure_edit", args=[self.measure.pk])
        form = self.client.get(url).context["form"]
        self.assertNotIn("budget", form.fields)
        self.assertNotIn("owner", form.fields)
        response = self.client.post(
            url,
            {
                "title": "推进国家一流专业建设",
                "description": "完成自评报告",
                "co_owners": "T1001",
                "starts_on": "2022-01-01",
                "due_on": "2022-10-31",
                "budget": "999999",
                "owner": "T1002",
            },
        )
        self.assertRedirects(
            response, self.measure.get_absolute_url(), fetch_redirect_response=False
        )
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.due_on, dt.date(2022, 10, 31))
        self.assertEqual(self.measure.description, "完成自评报告")
        self.assertEqual(self.measure.budget, Decimal(50000))
        self.assertEqual(self.measure.owner, self.teacher_person)
        entry = LogEntry.objects.get_for_object(self.measure).order_by("pk").last()
        assert entry is not None
        self.assertEqual(entry.additional_data["changes"]["due_on"], ["2022-12-31", "2022-10-31"])

    def test_the_owner_may_not_create_measures(self):
        self.login(self.teacher)
        url = reverse("workplan:measure_new", args=[self.key_point.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(
            url, {"title": "x", "owner_unit": self.college.pk, "owner": "T1010", "budget": 0}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Measure.objects.count(), 1)

    def test_other_staff_may_not_edit_a_measure(self):
        self.login(self.counsellor_b_user)
        url = reverse("workplan:measure_edit", args=[self.measure.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_leader_of_another_college_finds_nothing(self):
        self.create_other_college()
        self.login(self.leader_b)
        self.assertEqual(self.client.get(self.plan.get_absolute_url()).status_code, 404)
        url = reverse("workplan:area_new", args=[self.plan.pk])
        self.assertEqual(self.client.post(url, {"title": "x"}).status_code, 404)

    def test_a_leader_changes_the_owner_unit_owner_and_budget(self):
        self.login(self.leader)
        url = reverse("workplan:measure_edit", args=[self.measure.pk])
        response = self.client.post(
            url,
            {
                "title": "推进国家一流专业建设",
                "owner_unit": self.university.pk,
                "owner": "钱老师",
                "co_owners": "",
                "starts_on": "2022-01-01",
                "due_on": "2022-12-31",
                "budget": "60000",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.owner_unit, self.university)
        self.assertEqual(self.measure.owner, self.counsellor_b)
        self.assertEqual(self.measure.budget, Decimal(60000))
        self.assertEqual(self.measure.co_owners.count(), 0)
