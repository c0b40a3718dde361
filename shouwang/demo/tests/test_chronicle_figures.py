"""The seed's figures, computed: the chronicle of the demo's April 2022
lockdown gives, from the records, every number the college's article typed."""

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from shouwang import reports
from shouwang.demo import build
from shouwang.demo.college import (
    COLLEGE,
    COUNSELLOR_NAME,
    DEPARTMENTS,
    DONOR_NAME,
    LEAGUE_COMMITTEE,
    UNIVERSITY,
)
from shouwang.demo.lockdown import FIRST_DAY, TITLE, TODAY
from shouwang.demo.notices import BRIGADES
from shouwang.incidents.models import Incident
from shouwang.reports.figures import FIGURES, Scope, compute

from .running import demo_clock


class ChronicleFiguresTestCase(TestCase):
    incident: Incident
    scope: Scope
    figures: dict

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.incident = Incident.objects.get(title=TITLE)
        # As demo.sh runs it: the incident still open, today the demo's today.
        with demo_clock():
            cls.scope = Scope.of_incident(cls.incident)
            cls.figures = compute(cls.scope)

    def test_the_chronicle_covers_the_lockdown_to_the_demos_today(self):
        self.assertEqual((self.scope.first, self.scope.last), (FIRST_DAY, TODAY))
        self.assertEqual(self.scope.unit.name, "信息学院")

    def test_59_teachers_997_students_and_24_teaching_classes_online(self):
        figures = self.figures
        self.assertEqual(figures["teachers_online"], 59)
        self.assertEqual(figures["students_online"], 997)
        self.assertEqual(figures["teaching_classes_online"], 24)

    def test_5_areas_15_key_points_37_measures(self):
        figures = self.figures
        self.assertEqual(
            (figures["plan_areas"], figures["plan_key_points"], figures["plan_measures"]),
            (5, 15, 37),
        )
        self.assertEqual(
            figures["plan_area_titles"],
            ["党建团学", "本科教育", "学科建设与研究生教育", "人才引育", "就业创业"],
        )

    def test_2_job_fairs_with_360_odd_participations(self):
        self.assertEqual(self.figures["job_fairs"], 2)
        # 360余人次: more than 360, and not yet 370.
        self.assertGreater(self.figures["job_fair_participations"], 360)
        self.assertLess(self.figures["job_fair_participations"], 370)

    def test_18_student_party_members_served_their_home_communities(self):
        self.assertEqual(self.figures["home_service_party_members"], 18)

    def test_the_two_brigades_are_chunlei_and_hongzhu(self):
        self.assertEqual(self.figures["volunteer_brigades"], 2)
        names = self.figures["volunteer_brigade_names"]
        self.assertEqual(len(names), 2)
        self.assertTrue(names[0].startswith("春蕾工程"), names)
        self.assertTrue(names[1].startswith("红烛"), names)

    def test_three_meals_a_day(self):
        self.assertEqual(self.figures["meals_per_day"], 3)

    def test_the_donation_exactly_as_given(self):
        self.assertEqual(
            self.figures["donations"],
            [
                {"item": "防护服", "quantity": 100, "unit": "套"},
                {"item": "免洗手消毒液", "quantity": 700, "unit": "瓶"},
                {"item": "桶装方便面", "quantity": 30, "unit": "箱"},
                {"item": "火腿肠", "quantity": 6, "unit": "箱"},
                {"item": "水果", "quantity": 1000, "unit": "斤"},
            ],
        )
        self.assertEqual(
            FIGURES["donations"].said(self.figures["donations"]),
            "防护服100套、免洗手消毒液700瓶、桶装方便面30箱、火腿肠6箱、水果1000斤",
        )
        self.assertEqual(self.figures["donation_donors"], ["梁世婕"])

    def test_zhao_pu_on_site_for_about_half_a_month(self):
        self.assertEqual(self.figures["longest_duty_streak_person"], "赵璞")
        self.assertGreaterEqual(self.figures["longest_duty_streak_days"], 13)
        self.assertLessEqual(self.figures["longest_duty_streak_days"], 16)

    def test_997_students_and_59_teachers(self):
        self.assertEqual((self.figures["students"], self.figures["teachers"]), (997, 59))

    def test_the_deployment_help_and_activities_are_counted(self):
        figures = self.figures
        self.assertGreaterEqual(figures["incident_meetings"], 2)
        self.assertEqual(figures["teacher_vanguard_posts"], 2)
        self.assertGreater(figures["help_requests_solved"], 0)
        self.assertGreater(figures["checkin_rate"], 90)
        self.assertGreater(figures["vanguard_party_members"], 0)
        self.assertGreaterEqual(figures["activity_contests"], 5)
        titles = "".join(figures["activity_titles"])
        for named in ("团史百年，青春妙绘", "蓝桥杯", "计算机设计大赛", "青年先锋论坛"):
            self.assertIn(named, titles)

    def test_the_command_prints_every_figure_as_json(self):
        out = io.StringIO()
        with demo_clock():
            call_command("chronicle", "--incident", str(self.incident.pk), "--json", stdout=out)
        printed = json.loads(out.getvalue())
        self.assertEqual(set(printed), set(FIGURES))
        self.assertEqual(printed, json.loads(json.dumps(self.figures)))


class ChronicleCodeTestCase(TestCase):
    def test_the_chronicles_code_names_nothing_of_the_demo(self):
        named = [UNIVERSITY, COLLEGE, COUNSELLOR_NAME, DONOR_NAME, LEAGUE_COMMITTEE, TITLE]
        named += [*DEPARTMENTS, *BRIGADES, *(name[:2] for name in BRIGADES)]
        for path in Path(reports.__file__).parent.rglob("*.py"):
            text = path.read_text()
            for name in named:
                with self.subTest(path=path.name, name=name):
                    self.assertNotIn(name, text)
