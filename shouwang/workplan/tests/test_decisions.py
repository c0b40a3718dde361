"""The work-promotion meeting's decisions made into work, and traced back to it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import record_meeting
from shouwang.incidents.models import Meeting
from shouwang.lib.clock import beijing
from shouwang.workplan import actions
from shouwang.workplan.audit import WorkplanEvent
from shouwang.workplan.models import Area, KeyPoint, Measure, Milestone, Plan

from .base import PlanTestCase


def work_promotion_meeting(case, decisions: int = 2) -> Meeting:
    texts = [
        "线上双选会于5月前举办",
        "毕业答辩改为线上",
        *(f"第{n}项工作" for n in range(3, decisions + 1)),
    ]
    return record_meeting(
        None,
        held_at=beijing(2022, 4, 20, 9),
        title="学院工作推进会",
        decisions=texts[:decisions],
        is_online=True,
        acting_user=case.leader,
    )


class DecisionToWorkTestCase(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.meeting = work_promotion_meeting(self)
        self.first, self.second = self.meeting.decisions.all()

    def milestone_url(self, decision, plan: Plan | None = None) -> str:
        return reverse("workplan:decision_milestone", args=[(plan or self.plan).pk, decision.pk])

    def measure_url(self, decision, plan: Plan | None = None) -> str:
        return reverse("workplan:decision_measure", args=[(plan or self.plan).pk, decision.pk])

    def make_milestone(self) -> Milestone:
        self.login(self.leader)
        response = self.client.post(
            self.milestone_url(self.first),
            {"measure": self.measure.pk, "title": "举办线上双选会", "due_on": "2022-05-31"},
        )
        self.assertRedirects(response, f"{self.meeting.get_absolute_url()}#decision-1")
        return Milestone.objects.get(decision=self.first)

    def make_measure(self) -> Measure:
        self.login(self.leader)
        response = self.client.post(
            self.measure_url(self.second),
            {
                "key_point": self.key_point.pk,
                "title": "组织毕业生线上答辩",
                "owner_unit": self.college.pk,
                "owner": self.counsellor_b.pk,
                "due_on": "2022-06-15",
                "budget": "3000",
            },
        )
        self.assertRedirects(response, f"{self.meeting.get_absolute_url()}#decision-2")
        return Measure.objects.get(decision=self.second)

    def work_on_page(self, user) -> dict[str, list[str]]:
        self.login(user)
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        return {
            kind: [part.split('"')[0] for part in html.split(f'data-testid="{kind}" data-pk="')[1:]]
            for kind in ("decision-measure", "decision-milestone")
        }

    def test_a_decision_becomes_a_milestone_of_a_measure(self):
        milestone = self.make_milestone()
        self.assertEqual(
            (milestone.measure, milestone.title, milestone.due_on),
            (self.measure, "举办线上双选会", dt.date(2022, 5, 31)),
        )
        self.assertEqual(milestone.decision, self.first)
        entry = LogEntry.objects.get_for_object(self.measure).get(kind=WorkplanEvent.FROM_DECISION)
        self.assertEqual(entry.actor, self.leader)
        self.assertEqual(entry.additional_data["meeting"], "学院工作推进会")
        self.assertEqual(entry.additional_data["decision"], "线上双选会于5月前举办")

    def test_a_decision_becomes_a_new_measure_starting_on_the_day_of_the_meeting(self):
        measure = self.make_measure()
        self.assertEqual(measure.key_point, self.key_point)
        self.assertEqual(measure.number, 2)
        self.assertEqual((measure.owner, measure.budget), (self.counsellor_b, Decimal(3000)))
        self.assertEqual(
            (measure.starts_on, measure.due_on), (dt.date(2022, 4, 20), dt.date(2022, 6, 15))
        )
        self.assertEqual(measure.decision, self.second)
        entry = LogEntry.objects.get_for_object(measure).get(kind=WorkplanEvent.FROM_DECISION)
        self.assertEqual(entry.additional_data["decision"], "毕业答辩改为线上")

    def test_the_measure_and_the_milestone_link_back_to_the_meeting_and_decision(self):
        measure = self.make_measure()
        self.make_milestone()
        self.login(self.leader)
        page = self.client.get(measure.get_absolute_url()).content.decode()
        self.assertIn(f'href="{self.meeting.get_absolute_url()}#decision-2"', page)
        self.assertIn("毕业答辩改为线上", page)
        milestone_page = self.client.get(self.measure.get_absolute_url())
        self.assertContains(milestone_page, 'data-testid="milestone-decision"')
        self.assertContains(milestone_page, f"{self.meeting.get_absolute_url()}#decision-")

    def test_the_meeting_page_shows_the_work_under_each_decision(self):
        milestone = self.make_milestone()
        measure = self.make_measure()
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(response, measure.get_absolute_url())
        self.assertContains(response, self.measure.get_absolute_url())
        self.assertEqual(
            self.work_on_page(self.leader),
            {"decision-measure": [str(measure.pk)], "decision-milestone": [str(milestone.pk)]},
        )
        html = response.content.decode()
        first, second = html.index('data-number="1"'), html.index('data-number="2"')
        self.assertLess(first, html.index('data-testid="decision-milestone"'))
        self.assertLess(html.index('data-testid="decision-milestone"'), second)
        self.assertLess(second, html.index('data-testid="decision-measure"'))

    def test_leaders_of_the_plan_get_the_buttons_staff_do_not(self):
        self.login(self.leader)
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(response, self.milestone_url(self.first))
        self.assertContains(response, self.measure_url(self.second))
        self.login(self.teacher)
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertNotContains(response, 'data-testid="make-milestone"')
        self.assertEqual(self.client.get(self.milestone_url(self.first)).status_code, 403)

    def test_a_leader_of_another_college_cannot_make_work_in_this_plan(self):
        self.login(self.leader_b)
        data = {"measure": self.measure.pk, "title": "举办线上双选会", "due_on": "2022-05-31"}
        self.assertEqual(self.client.get(self.milestone_url(self.first)).status_code, 404)
        self.assertEqual(self.client.post(self.milestone_url(self.first), data).status_code, 404)
        self.assertEqual(self.client.get(self.measure_url(self.second)).status_code, 404)
        self.assertFalse(Milestone.objects.filter(decision__isnull=False).exists())
        # Nor does their own plan take a measure of this one.
        plan_b = actions.save_plan(
            Plan(title="2022年会计学院工作要点", year=2022, unit=self.college_b),
            acting_user=self.leader_b,
        )
        response = self.client.post(self.milestone_url(self.first, plan_b), data)
        self.assertEqual(set(response.context["form"].errors), {"measure"})
        self.assertFalse(Milestone.objects.filter(decision__isnull=False).exists())

    def test_staff_see_the_link_only_to_measures_they_may_see(self):
        milestone = self.make_milestone()
        measure = self.make_measure()
        # Staff of the college read its plan's measures.
        self.assertEqual(
            self.work_on_page(self.teacher),
            {"decision-measure": [str(measure.pk)], "decision-milestone": [str(milestone.pk)]},
        )
        # Staff of another college see the meeting, not this college's work.
        self.assertEqual(
            self.work_on_page(self.counsellor_c_user),
            {"decision-measure": [], "decision-milestone": []},
        )
        self.assertNotContains(
            self.client.get(self.meeting.get_absolute_url()), measure.get_absolute_url()
        )

    def test_a_decisions_measure_needs_a_key_point_of_this_plan_and_a_due_date(self):
        other = actions.save_key_point(
            KeyPoint(
                area=actions.save_area(
                    Area(
                        plan=actions.save_plan(
                            Plan(title="2021年学院工作要点", year=2021, unit=self.college),
                            acting_user=self.leader,
                        ),
                        title="本科教育",
                    ),
                    acting_user=self.leader,
                ),
                title="加强专业内涵建设",
            ),
            acting_user=self.leader,
        )
        self.login(self.leader)
        response = self.client.post(
            self.measure_url(self.second),
            {
                "key_point": other.pk,
                "title": "组织毕业生线上答辩",
                "owner_unit": self.college.pk,
                "owner": self.student_a.pk,
                "budget": "0",
            },
        )
        self.assertEqual(set(response.context["form"].errors), {"key_point", "owner", "due_on"})
        self.assertFalse(Measure.objects.filter(decision__isnull=False).exists())


class MeetingPageQueriesTestCase(PlanTestCase):
    def queries_for(self, decisions: int) -> int:
        meeting = work_promotion_meeting(self, decisions)
        for decision in meeting.decisions.all():
            actions.milestone_from_decision(
                decision,
                self.measure,
                title=decision.text,
                due_on=dt.date(2022, 6, 1),
                acting_user=self.leader,
            )
            actions.measure_from_decision(
                decision,
                Measure(
                    key_point=self.key_point,
                    title=f"{decisions}-{decision.number} {decision.text}",
                    owner_unit=self.college,
                    owner=self.teacher_person,
                ),
                acting_user=self.leader,
            )
        self.login(self.leader)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(meeting.get_absolute_url())
        self.assertEqual(len(response.context["decisions"]), decisions)
        self.assertContains(response, 'data-testid="decision-measure"', count=decisions)
        self.assertContains(response, 'data-testid="decision-milestone"', count=decisions)
        return len(queries)

    def test_the_meeting_page_reads_the_same_however_many_decisions(self):
        self.assertEqual(self.queries_for(2), self.queries_for(6))
