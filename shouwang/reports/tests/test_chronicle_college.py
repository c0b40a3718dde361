"""The chronicle of another college, built from its own records (河东大学's
经济学院 and 法学院 under a flood, `figure_college`): each figure its draft
carries is the count the figures' test makes independently, its sentences
say them, and nothing of any other college is in it. Then the command line
writes the same draft to a Word file."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document

from shouwang.reports import actions
from shouwang.reports.chronicle import keys_in, read
from shouwang.reports.figures import Scope
from shouwang.reports.models import Chronicle

from .figure_college import World
from .test_figures import ECONOMICS, LAW


def in_chinese(value):
    """An expected value as the chronicle, a Chinese document, holds it: the
    words of a value (a donor who asked not to be named) in Chinese."""
    if isinstance(value, list):
        with translation.override("zh-hans"):
            return [str(_(item)) if item == "anonymous donor" else item for item in value]
    return value


class OtherCollegeChronicleTestCase(TestCase):
    world: World
    economics: Chronicle
    law: Chronicle

    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        cls.world.build()
        cls.economics = actions.draft(
            unit=cls.world.econ.unit, incident=cls.world.incident, acting_user=cls.world.leader
        )
        cls.law = actions.draft(
            unit=cls.world.law.unit, incident=cls.world.law_incident, acting_user=cls.world.leader
        )

    def test_each_figure_of_its_draft_is_the_colleges_own_count(self):
        for chronicle, expected in ((self.economics, ECONOMICS), (self.law, LAW)):
            reading = read(chronicle)
            used = keys_in(*reading.texts())
            self.assertGreater(len(used), 20)
            for key in used:
                with self.subTest(college=chronicle.unit.name, key=key):
                    self.assertEqual(reading.values[key], in_chinese(expected[key]))

    def test_its_sentences_say_the_figures(self):
        body = read(self.economics).body()
        for sentence in (
            "2023年的7月初，“经济学院暴雨内涝”应急响应启动",
            "经济学院党委高举党旗",
            "（期间召开专题会议2次）",
            "7月11日起，学院全面启动“云端”课堂",
            "承担本期教学任务的3名教师、7名学生、2个教学班",
            "围绕党建引领、人才培养两个方面，把工作重点细化为3个要点、4项具体举措",
            "学院党委组建一个教师党员先锋岗（金融科技教师党员先锋岗）",
            "，1项重点工作有突破性进展",
            "督促全院8名学生、4名教师按时打卡，期间健康打卡率79.6%",
            "已解决学生求助2件",
            "组织“启航”、“青禾”两支志愿者服务大队",
            "送去一日三餐",
            "已举办网络双选会两场，共计4人次参与",
            "刘振华就是这个群体中的一员：连续4天",
            "捐赠口罩3盒、矿泉水7箱以及大米25kg",
            "组织1名在校学生党员",
            "学院共计2名分布在2个省份的学生党员",
            "包括全国大学生经济学竞赛、模拟炒股大赛、金融文化节等在内的各类活动和赛事共3项",
        ):
            with self.subTest(sentence=sentence):
                self.assertIn(sentence, body)
        # Nothing of the college beside it, and no figure left unsaid.
        self.assertNotIn(self.world.law.unit.name, body)
        self.assertNotIn("？", body)

    def test_a_clause_with_nothing_to_say_is_left_out(self):
        body = read(self.law).body()
        # No breakthrough, no student at a vanguard post in 法学院.
        self.assertNotIn("项重点工作有突破性进展", body)
        self.assertIn("组织在校学生党员形成学生党员工作队", body)
        self.assertIn("组织“明德志愿服务队”一支志愿者服务大队", body)
        self.assertIn("送去一日两餐", body)

    def test_the_command_writes_the_draft_as_a_word_file(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "工作纪实.docx"
            out = io.StringIO()
            call_command(
                "chronicle",
                "--incident",
                str(self.world.incident.pk),
                "--out",
                str(path),
                stdout=out,
            )
            document = Document(str(path))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        self.assertIn("经济学院党委经济学院暴雨内涝工作纪实", text)
        self.assertIn("承担本期教学任务的3名教师、7名学生、2个教学班", text)
        self.assertIn("数据说明", text)
        self.assertIn(str(path), out.getvalue())

    def test_the_command_writes_a_pdf_by_its_extension(self):
        from shouwang.lib.tests.pdf_text import pdf_text

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "chronicle.pdf"
            call_command(
                "chronicle",
                "--incident",
                str(self.world.incident.pk),
                "--out",
                str(path),
                stdout=io.StringIO(),
            )
            text = pdf_text(path.read_bytes()).replace("\n", "")
        self.assertIn("承担本期教学任务的3名教师、7名学生、2个教学班", text)

    def test_the_draft_the_command_writes_is_the_one_the_editor_starts_from(self):
        scope = Scope.of_incident(self.world.incident)
        from shouwang.reports.chronicle import drafted

        self.assertEqual(drafted(scope).body(), read(self.economics).body())
