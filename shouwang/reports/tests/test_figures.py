"""The chronicle's figures for a college that is not the demo's: 经济学院 and,
in the same database, 法学院 (see `figure_college`). Each figure must come
to what the records were made to give, count nothing of the other college,
and cost the same number of queries however many people there are."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation

from shouwang.careers.models import FairEmployer, Participation
from shouwang.checkins.models import CheckIn, Location
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.reports.figures import FIGURES, Scope, ScopeError, compute, doc_table
from shouwang.teaching.models import Enrolment, TeachingClass
from shouwang.test import make_person
from shouwang.volunteers.models import DutyDay, ServiceReport

from .figure_college import FIRST, LAST, World, day, july

ECONOMICS = {
    "students": 8,
    "teachers": 4,
    "incident_meetings": 2,
    "teaching_classes_online": 2,
    "teachers_online": 3,
    "students_online": 7,
    "online_teaching_from": "2023-07-11",
    "plan_areas": 2,
    "plan_key_points": 3,
    "plan_measures": 4,
    "plan_area_titles": ["党建引领", "人才培养"],
    "plan_breakthroughs": 1,
    "teacher_vanguard_posts": 1,
    "teacher_vanguard_post_names": ["金融科技教师党员先锋岗"],
    "job_fairs": 2,
    "job_fair_participations": 4,
    "job_fair_participants": 3,
    "home_service_party_members": 2,
    "home_service_provinces": 2,
    "volunteer_brigades": 2,
    "volunteer_brigade_names": ["启航志愿服务队", "青禾志愿服务队"],
    "vanguard_party_members": 1,
    "longest_duty_streak_days": 4,
    "longest_duty_streak_person": "刘振华",
    "meals_per_day": 3,
    "meals_delivered": 9,
    "isolated_people": 2,
    "donations": [
        {"item": "口罩", "quantity": 3, "unit": "盒"},
        {"item": "矿泉水", "quantity": 7, "unit": "箱"},
        {"item": "大米", "quantity": 25, "unit": "kg"},
    ],
    "donation_donors": ["经济学生7", "王建国", "林志远", "anonymous donor"],
    "donations_all": [
        {"item": "口罩", "quantity": 13, "unit": "盒"},
        {"item": "矿泉水", "quantity": 7, "unit": "箱"},
        {"item": "大米", "quantity": 25, "unit": "kg"},
    ],
    "checkin_expected": 98,
    "checkin_reported": 78,
    "checkin_rate": 79.6,
    "help_requests_received": 4,
    "help_requests_solved": 2,
    "activities": 3,
    "activities_by_kind": {"contest": 2, "festival": 1},
    "activity_contests": 2,
    "activity_titles": ["全国大学生经济学竞赛", "模拟炒股大赛", "金融文化节"],
    "activity_signups": 7,
    "activity_participations": 6,
    "activity_participants": 6,
    "activity_awards": 2,
}

LAW = {
    "students": 2,
    "teachers": 1,
    "incident_meetings": 1,
    "teaching_classes_online": 1,
    "teachers_online": 2,
    "students_online": 3,
    "online_teaching_from": "2023-07-12",
    "plan_areas": 3,
    "plan_key_points": 3,
    "plan_measures": 3,
    "plan_area_titles": ["法学一", "法学二", "法学三"],
    "plan_breakthroughs": 0,
    "teacher_vanguard_posts": 1,
    "teacher_vanguard_post_names": ["法治宣传教师党员先锋岗"],
    "job_fairs": 1,
    "job_fair_participations": 2,
    "job_fair_participants": 2,
    "home_service_party_members": 1,
    "home_service_provinces": 1,
    "volunteer_brigades": 1,
    "volunteer_brigade_names": ["明德志愿服务队"],
    "vanguard_party_members": 0,
    "longest_duty_streak_days": 7,
    "longest_duty_streak_person": "吴值班",
    "meals_per_day": 2,
    "meals_delivered": 6,
    "isolated_people": 1,
    "donations": [{"item": "矿泉水", "quantity": 1, "unit": "箱"}],
    "donation_donors": ["法学学生1"],
    "donations_all": [{"item": "矿泉水", "quantity": 1, "unit": "箱"}],
    "checkin_expected": 28,
    "checkin_reported": 28,
    "checkin_rate": 100.0,
    "help_requests_received": 1,
    "help_requests_solved": 1,
    "activities": 1,
    "activities_by_kind": {"lecture": 1},
    "activity_contests": 0,
    "activity_titles": ["法治讲座"],
    "activity_signups": 1,
    "activity_participations": 1,
    "activity_participants": 1,
    "activity_awards": 0,
}


class FiguresTestCase(TestCase):
    world: World

    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        cls.world.build()

    def economics(self, **changes) -> Scope:
        return Scope.of_incident(self.world.incident, **changes)

    def law(self) -> Scope:
        return Scope.of_incident(self.world.law_incident)


class ComputeTests(FiguresTestCase):
    def test_every_figure_is_checked(self):
        self.assertEqual(set(ECONOMICS), set(FIGURES))
        self.assertEqual(set(LAW), set(FIGURES))

    def test_the_incidents_period_is_its_days(self):
        scope = self.economics()
        self.assertEqual((scope.unit, scope.first, scope.last), (self.world.econ.unit, FIRST, LAST))

    def test_each_figure_counts_the_colleges_own_records(self):
        with translation.override("en"):
            values = compute(self.economics())
        for key, expected in ECONOMICS.items():
            with self.subTest(key):
                self.assertEqual(values[key], expected)

    def test_the_other_college_gets_its_own_figures(self):
        with translation.override("en"):
            values = compute(self.law())
        for key, expected in LAW.items():
            with self.subTest(key):
                self.assertEqual(values[key], expected)

    def test_the_teaching_figures_agree_with_a_plain_count(self):
        online = TeachingClass.objects.filter(
            unit__in=[self.world.econ.unit, *self.world.econ.departments],
            lessons__online=True,
            lessons__status="held",
            lessons__date__range=(FIRST, LAST),
        ).distinct()
        values = compute(
            self.economics(), ["teaching_classes_online", "teachers_online", "students_online"]
        )
        self.assertEqual(
            values,
            {
                "teaching_classes_online": online.count(),
                "teachers_online": Person.objects.filter(taught_classes__in=online)
                .distinct()
                .count(),
                "students_online": Person.objects.filter(teaching_classes__in=online)
                .distinct()
                .count(),
            },
        )

    def test_a_narrower_period_counts_less(self):
        scope = Scope(self.world.econ.unit, day(12), day(13), self.world.incident)
        values = compute(scope)
        self.assertEqual(values["job_fairs"], 0)
        self.assertEqual(values["teaching_classes_online"], 1)  # 金融市场学 on 7/12
        self.assertEqual(values["checkin_expected"], 28)
        self.assertEqual(values["longest_duty_streak_days"], 2)
        self.assertEqual(values["home_service_party_members"], 2)  # s1 on 7/12, s2 on 7/13
        self.assertEqual(values["incident_meetings"], 1)

    def test_a_period_without_an_incident_counts_everyone_at_school(self):
        scope = Scope(self.world.econ.unit, FIRST, LAST)
        values = compute(scope, ["checkin_expected", "checkin_reported", "incident_meetings"])
        # 14 at school for 7 days; every check-in of theirs dated in the period.
        self.assertEqual(
            values, {"checkin_expected": 98, "checkin_reported": 78, "incident_meetings": 0}
        )

    def test_a_department_is_a_college_of_its_own(self):
        finance = self.world.econ.departments[1]
        values = compute(
            Scope(finance, FIRST, LAST, self.world.incident), ["job_fairs", "students"]
        )
        self.assertEqual(values, {"job_fairs": 1, "students": 4})

    def test_the_year_without_a_plan_counts_nothing(self):
        scope = Scope(self.world.econ.unit, dt.date(2021, 7, 1), dt.date(2021, 7, 2))
        values = compute(scope, ["plan_areas", "plan_area_titles", "teacher_vanguard_posts"])
        self.assertEqual(
            values, {"plan_areas": 0, "plan_area_titles": [], "teacher_vanguard_posts": 0}
        )

    def test_nothing_to_count_is_zero_or_none(self):
        scope = Scope(self.world.econ.unit, dt.date(2021, 7, 1), dt.date(2021, 7, 2))
        values = compute(scope)
        self.assertIsNone(values["meals_per_day"])
        self.assertIsNone(values["longest_duty_streak_person"])
        self.assertEqual(values["longest_duty_streak_days"], 0)
        self.assertEqual(values["donations"], [])
        self.assertEqual(values["checkin_rate"], 0.0)  # everyone expected, nobody reported

    def test_the_values_are_json(self):
        values = compute(self.economics())
        self.assertEqual(json.loads(json.dumps(values, ensure_ascii=False)), values)

    def test_the_query_count_does_not_grow_with_the_people(self):
        with CaptureQueriesContext(connection) as before:
            compute(self.economics())
        self.add_people(30)
        with CaptureQueriesContext(connection) as after:
            values = compute(self.economics())
        self.assertEqual(values["students_online"], 37)
        self.assertEqual(values["home_service_party_members"], 32)
        self.assertEqual(values["job_fair_participations"], 34)
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))
        self.assertLess(len(after.captured_queries), 60)

    def add_people(self, count: int) -> None:
        """More students of 经济学院 doing everything the figures count."""
        econ = self.world.econ
        micro = TeachingClass.objects.get(code="微观经济学-01")
        room = FairEmployer.objects.filter(fair__title="经济学院网络双选会（一）")[0]
        for n in range(count):
            person = make_person(
                f"E2022{n:03d}",
                f"新生{n}",
                unit=econ.departments[0],
                political_status=Person.PoliticalStatus.PARTY_MEMBER,
            )
            Enrolment.objects.create(teaching_class=micro, student=person)
            Participation.objects.create(
                room=room, fair=room.fair, person=person, source="room_code"
            )
            ServiceReport.objects.create(
                person=person,
                date=day(11),
                province="14",
                place="社区",
                activity="服务",
                hours=Decimal(2),
                status=ServiceReport.Status.APPROVED,
            )
            at = clock.at(day(11), dt.time(8))
            CheckIn.objects.create(
                person=person,
                incident=self.world.incident,
                date=day(11),
                submitted_at=at,
                updated_at=at,
                location=Location.HOME,
            )
            HelpRequest.objects.create(
                requester=person, category="study", description="网课卡顿", created_at=july(11)
            )
            DutyDay.objects.create(person=person, date=day(11), mode=DutyDay.Mode.ON_SITE)


class FigureTests(FiguresTestCase):
    def test_every_figure_is_defined_with_its_population_period_and_unit(self):
        with translation.override("en"):
            for key, found in FIGURES.items():
                with self.subTest(key):
                    self.assertTrue(str(found.label))
                    self.assertTrue(str(found.population))
                    self.assertTrue(str(found.period))
                    self.assertTrue(str(found.unit))
                    self.assertIn(str(found.period), str(found.definition))

    def test_a_sentence_writes_each_value(self):
        scope = self.economics()
        values = compute(scope)
        with translation.override("en"):
            said = {key: FIGURES[key].said(value) for key, value in values.items()}
        self.assertEqual(said["donations"], "口罩3盒、矿泉水7箱、大米25kg")
        self.assertEqual(said["checkin_rate"], "79.6%")
        self.assertEqual(said["volunteer_brigade_names"], "启航志愿服务队、青禾志愿服务队")
        self.assertEqual(said["students_online"], "7")
        self.assertEqual(said["activities_by_kind"], "contest2、festival1")
        self.assertEqual(FIGURES["meals_per_day"].said(None), "")

    def test_each_list_is_a_page_of_the_module_it_counts(self):
        scope = self.economics()
        expected_views = {
            "students": "people:person_list",
            "teachers_online": "teaching:report",
            "plan_measures": "workplan:plan_overview",
            "job_fair_participations": "careers:fair_counts",
            "home_service_party_members": "volunteers:service_list",
            "volunteer_brigades": "volunteers:team_list",
            "longest_duty_streak_days": "volunteers:duty_roster",
            "meals_per_day": "care:isolation_list",
            "donations": "supplies:donation_list",
            "checkin_rate": "compliance:overview",
            "help_requests_solved": "helpdesk:overview",
            "activity_contests": "activities:counts",
            "incident_meetings": "incidents:incident_detail",
        }
        for key, view in expected_views.items():
            with self.subTest(key):
                url = FIGURES[key].url(scope) or ""
                self.assertEqual(resolve(url.split("?")[0]).view_name, view)
        self.assertEqual(
            FIGURES["teachers_online"].url(scope),
            f"/teaching/report/?first=2023-07-10&last=2023-07-16&unit={self.world.econ.unit.pk}",
        )
        # The roster of the longest run's last day.
        roster = FIGURES["longest_duty_streak_days"].url(scope) or ""
        self.assertTrue(roster.endswith("date=2023-07-13"), roster)

    def test_the_leader_opens_every_list(self):
        self.client.force_login(self.world.leader)
        scope = self.economics()
        for key, found in FIGURES.items():
            url = found.url(scope)
            if url is None:
                continue
            with self.subTest(key):
                self.assertEqual(self.client.get(url).status_code, 200, url)


class ScopeTests(FiguresTestCase):
    def test_an_incident_over_two_colleges_needs_the_college_named(self):
        with self.assertRaises(ScopeError):
            Scope.of_incident(self.world.both_incident)
        scope = Scope.of_incident(self.world.both_incident, self.world.law.unit)
        self.assertEqual(compute(scope, ["students"]), {"students": 2})

    def test_a_period_ending_before_it_begins_is_refused(self):
        with self.assertRaises(ScopeError):
            Scope(self.world.econ.unit, LAST, FIRST)


class CommandTests(FiguresTestCase):
    def run_command(self, *args: str) -> dict:
        out = io.StringIO()
        call_command("chronicle", *args, stdout=out)
        return json.loads(out.getvalue())

    def test_json_prints_every_figure(self):
        values = self.run_command("--incident", str(self.world.incident.pk), "--json")
        self.assertEqual(set(values), set(FIGURES))
        self.assertEqual(values["students_online"], 7)
        self.assertEqual(values["donations"], ECONOMICS["donations"])
        self.assertEqual(values["checkin_rate"], 79.6)

    def test_the_period_can_be_narrowed(self):
        values = self.run_command(
            "--incident",
            str(self.world.incident.pk),
            "--first",
            "2023-07-12",
            "--last",
            "2023-07-13",
            "--json",
        )
        self.assertEqual(values["job_fairs"], 0)
        self.assertEqual(values["teaching_classes_online"], 1)

    def test_the_college_is_named_for_an_incident_over_two(self):
        incident = str(self.world.both_incident.pk)
        with translation.override("en"), self.assertRaisesMessage(CommandError, "name the college"):
            self.run_command("--incident", incident, "--json")
        values = self.run_command(
            "--incident", incident, "--college", str(self.world.law.unit.pk), "--json"
        )
        self.assertEqual(values["students"], 2)

    def test_it_refuses_what_does_not_exist(self):
        with self.assertRaisesMessage(CommandError, "no incident"):
            self.run_command("--incident", "999999", "--json")
        with self.assertRaisesMessage(CommandError, "no unit"):
            self.run_command(
                "--incident", str(self.world.incident.pk), "--college", "999999", "--json"
            )
        with self.assertRaises(CommandError):
            self.run_command(
                "--incident", str(self.world.incident.pk), "--last", "2023-07-01", "--json"
            )


class DocumentationTests(TestCase):
    def test_the_chronicles_documentation_lists_every_figure(self):
        text = (Path(settings.BASE_DIR) / "docs" / "chronicle.md").read_text()
        self.assertIn(doc_table(), text, "paste figures.doc_table() into docs/chronicle.md")
        for key in FIGURES:
            self.assertIn(f"`{key}`", text)
