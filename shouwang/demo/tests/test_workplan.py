import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.test import TestCase
from django.utils import timezone

from shouwang.accounts.models import Role, User
from shouwang.core.models import LogEntry
from shouwang.demo import build
from shouwang.demo.college import COLLEGE, COUNSELLOR_NAME
from shouwang.demo.lockdown import NOW, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.demo.workplan import MEETING_TITLE, PLAN_TITLE
from shouwang.incidents.models import Incident, Meeting
from shouwang.people.models import Branch, Person, Unit
from shouwang.volunteers.models import Team
from shouwang.workplan.models import (
    Area,
    Evidence,
    Expenditure,
    KeyPoint,
    Measure,
    Milestone,
    Plan,
    Report,
    ReportFile,
    Status,
)

AREAS = ["党建团学", "本科教育", "学科建设与研究生教育", "人才引育", "就业创业"]


class DemoWorkPlanTestCase(TestCase):
    plan: Plan

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.plan = Plan.objects.get(title=PLAN_TITLE)

    def measures(self):
        return Measure.objects.filter(key_point__area__plan=self.plan)

    def reports(self):
        return Report.objects.filter(measure__key_point__area__plan=self.plan)

    def test_the_plan_is_the_colleges_adopted_in_january_with_monthly_reports_on_the_25th(self):
        self.assertEqual(self.plan.unit.name, COLLEGE)
        self.assertEqual(self.plan.year, 2022)
        self.assertEqual(self.plan.report_every, Plan.Every.MONTH)
        self.assertEqual(self.plan.report_day, 25)
        self.assertEqual(timezone.localdate(self.plan.created_at), dt.date(2022, 1, 10))

    def test_the_seeds_figures_are_counted_from_the_plan(self):
        areas = Area.objects.filter(plan=self.plan)
        self.assertEqual(list(areas.values_list("title", flat=True)), AREAS)
        self.assertEqual(KeyPoint.objects.filter(area__plan=self.plan).count(), 15)
        self.assertEqual(self.measures().count(), 37)
        # Every area has key points, every key point measures, numbered from 1.
        self.assertFalse(areas.annotate(n=Count("key_points")).filter(n=0).exists())
        points = KeyPoint.objects.filter(area__plan=self.plan).annotate(n=Count("measures"))
        self.assertFalse(points.filter(n=0).exists())
        self.assertEqual(sorted(areas.values_list("number", flat=True)), [1, 2, 3, 4, 5])
        for point in points:
            numbers = sorted(point.measures.values_list("number", flat=True))
            self.assertEqual(numbers, list(range(1, point.n + 1)), point.title)

    def test_the_seeds_work_is_in_the_plan(self):
        titles = "".join(self.measures().values_list("title", flat=True))
        for words in ("国家一流专业", "国家社科基金", "研究生招生", "人才", "就业率", "网络双选会"):
            self.assertIn(words, titles)

    def test_owners_and_co_owners_are_the_colleges_staff(self):
        college = Unit.objects.get(name=COLLEGE)
        units = {college.pk, *college.children.values_list("pk", flat=True)}
        for measure in self.measures().prefetch_related("co_owners"):
            with self.subTest(measure=measure.title):
                self.assertIn(measure.owner_unit_id, units)
                self.assertNotEqual(measure.owner_unit_id, college.pk)
                for person in (measure.owner, *measure.co_owners.all()):
                    self.assertNotEqual(person.kind, Person.Kind.STUDENT)
                    self.assertEqual(person.status, Person.Status.PRESENT)
                    self.assertIn(person.unit_id, units)
                # Someone of the measure can log in to write its reports.
                people = [measure.owner_id, *measure.co_owners.values_list("pk", flat=True)]
                self.assertTrue(User.objects.filter(person__in=people).exists())
        zhao = Person.objects.get(name=COUNSELLOR_NAME)
        party_work = self.measures().filter(key_point__area__title="党建团学")
        self.assertTrue(party_work.filter(Q(owner=zhao) | Q(co_owners=zhao)).exists())
        # The first teacher login teaches (付琳 of 团委 holds another).
        teacher = DemoLogin.objects.filter(role=Role.TEACHER).earliest("pk").user.person
        self.assertTrue(self.measures().filter(co_owners=teacher).exists())

    def test_branches_and_teacher_vanguard_posts_carry_measures(self):
        carried = self.measures().filter(branch__isnull=False)
        kinds = set(carried.values_list("branch__kind", flat=True))
        self.assertEqual(kinds, {Branch.Kind.PARTY})
        self.assertGreaterEqual(carried.values("branch").distinct().count(), 3)
        posts = Team.objects.filter(kind=Team.Kind.TEACHER_VANGUARD_POST)
        self.assertEqual(posts.count(), 2)
        self.assertGreaterEqual(self.measures().filter(post__in=posts).count(), 2)
        for post in posts:
            with self.subTest(post=post.name):
                self.assertTrue(post.measures.exists())
                self.assertEqual(post.memberships.filter(is_lead=True).count(), 1)
                members = post.members.all()
                self.assertFalse(members.exclude(kind=Person.Kind.TEACHER).exists())
                self.assertTrue(all(member.is_party_member for member in members))
                for user in User.objects.filter(person__in=members):
                    self.assertNotIn(Role.VOLUNTEER, user.roles)

    def test_budgets_and_expenditures(self):
        budgets = self.measures().values_list("budget", flat=True)
        self.assertIn(Decimal(0), budgets)
        self.assertEqual(max(budgets), Decimal(200000))
        self.assertGreaterEqual(min(b for b in budgets if b), Decimal(3000))
        over = self.measures().annotate(spent=Sum("expenditures__amount"))
        self.assertFalse(over.filter(spent__gt=F("budget")).exists())
        spending = Expenditure.objects.filter(measure__key_point__area__plan=self.plan)
        self.assertGreater(spending.count(), 20)
        days = spending.values_list("spent_on", flat=True)
        self.assertGreaterEqual(min(days), dt.date(2022, 1, 1))
        self.assertLessEqual(max(days), TODAY)
        self.assertFalse(spending.filter(booked_by__isnull=True).exists())

    def test_statuses_as_of_the_demos_today(self):
        states = dict(
            self.measures()
            .with_state(TODAY)
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        self.assertEqual(states[Status.DONE], 1)
        self.assertEqual(states[Status.PAUSED], 1)
        self.assertGreaterEqual(states[Status.NOT_STARTED], 2)
        self.assertGreaterEqual(states[Status.LATE], 3)
        self.assertGreater(states[Status.IN_PROGRESS], states[Status.LATE])
        done = self.measures().get(status=Status.DONE)
        self.assertIsNotNone(done.accepted_by)
        assert done.accepted_at is not None
        self.assertLess(done.accepted_at, NOW)
        milestones = Milestone.objects.filter(measure__key_point__area__plan=self.plan)
        self.assertTrue(milestones.filter(done_on__isnull=False).exists())
        self.assertFalse(milestones.filter(done_on__gt=TODAY).exists())

    def test_reports_due_before_now_some_late_some_unwritten_most_scored(self):
        reports = self.reports()
        past = reports.filter(due_on__lt=TODAY)
        self.assertEqual(
            set(past.values_list("due_on", flat=True)),
            {dt.date(2022, 1, 25), dt.date(2022, 2, 25), dt.date(2022, 3, 25)},
        )
        self.assertFalse(reports.filter(due_on__gt=TODAY, submitted_at__isnull=False).exists())
        self.assertTrue(reports.filter(due_on=dt.date(2022, 4, 25)).exists())
        written = past.filter(submitted_at__isnull=False)
        self.assertFalse(written.filter(submitted_at__gt=NOW).exists())
        late = [report for report in written if report.is_late]
        self.assertGreaterEqual(len(late), 3)
        self.assertLess(len(late), written.count() // 3)
        unwritten = past.filter(submitted_at__isnull=True)
        self.assertGreaterEqual(unwritten.count(), 2)
        self.assertLess(unwritten.count(), past.count() // 5)
        scored = written.filter(score__isnull=False)
        self.assertGreater(scored.count(), written.count() // 2)
        self.assertFalse(scored.exclude(score__range=(1, 5)).exists())
        self.assertFalse(scored.filter(Q(comment="") | Q(scored_at__gt=NOW)).exists())
        self.assertFalse(scored.filter(scored_at__lt=F("submitted_at")).exists())
        leaders = {row.user_id for row in DemoLogin.objects.filter(role=Role.LEADER)}
        scorers = set(scored.values_list("scored_by", flat=True))
        self.assertTrue(leaders <= scorers)
        self.assertTrue(all(User.objects.get(pk=pk).has_role(Role.LEADER) for pk in scorers))
        self.assertTrue(
            ReportFile.objects.filter(report__measure__key_point__area__plan=self.plan).exists()
        )

    def test_the_work_promotion_meeting_was_the_colleges_online_and_became_work(self):
        meeting = Meeting.objects.get(title=MEETING_TITLE)
        self.assertIsNone(meeting.incident)
        self.assertTrue(meeting.is_online)
        self.assertEqual(timezone.localdate(meeting.held_at), dt.date(2022, 4, 11))
        incident = Incident.objects.get()
        self.assertFalse(incident.meetings.filter(title=MEETING_TITLE).exists())
        decisions = meeting.decisions.all()
        self.assertGreaterEqual(decisions.count(), 3)
        milestones = Milestone.objects.filter(decision__meeting=meeting)
        self.assertEqual(milestones.count(), 2)
        self.assertEqual(milestones.values("decision").distinct().count(), 2)
        self.assertFalse(milestones.filter(measure__key_point__area__plan=self.plan).count() != 2)
        made = Measure.objects.filter(decision__meeting=meeting)
        self.assertEqual(made.count(), 1)
        self.assertEqual(made.get().key_point.area.plan, self.plan)
        self.assertIn("网络双选会", made.get().title)
        # The decisions do not restate the plan's figures.
        for decision in decisions:
            self.assertNotIn("37", decision.text)
            self.assertNotIn("15个", decision.text)

    def test_two_breakthroughs_with_evidence_files(self):
        breakthroughs = self.measures().filter(is_breakthrough=True)
        self.assertEqual(breakthroughs.count(), 2)
        titles = "".join(breakthroughs.values_list("title", flat=True))
        self.assertIn("国家一流专业", titles)
        self.assertIn("国家社科基金", titles)
        for measure in breakthroughs:
            with self.subTest(measure=measure.title):
                self.assertTrue(measure.breakthrough)
                evidence = Evidence.objects.filter(measure=measure)
                self.assertTrue(evidence.exists())
                for item in evidence:
                    self.assertTrue(item.file.storage.exists(item.file.name))
                    with item.file.open("rb") as file:
                        self.assertEqual(file.read(5), b"%PDF-")
                    self.assertEqual(item.size, item.file.size)

    def test_each_measures_history_reads_in_the_days_it_was_done(self):
        entries = LogEntry.objects.filter(
            content_type__model="measure",
            object_id__in=self.measures().values_list("pk", flat=True),
        )
        self.assertGreater(entries.count(), 37 * 3)
        stamps = entries.values_list("timestamp", flat=True)
        self.assertGreaterEqual(timezone.localdate(min(stamps)), dt.date(2022, 1, 10))
        self.assertLessEqual(max(stamps), NOW)
