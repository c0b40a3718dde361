"""The chronicle as a Word file and as a PDF: attachments, with the figures
said as the page says them, and each export audited."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from docx import Document

from shouwang.core.models import LogEntry
from shouwang.lib.tests.pdf_text import pdf_text
from shouwang.reports import actions, make_chronicle_docx
from shouwang.reports.chronicle_files import DOCX_TEMPLATE
from shouwang.reports.figures import FIGURES

from .chronicle_base import ChronicleTestCase


class ChronicleFilesTestCase(ChronicleTestCase):
    def setUp(self):
        super().setUp()
        self.chronicle = self.draft()
        self.students = self.counted(self.chronicle, "students")
        self.teachers = self.counted(self.chronicle, "teachers")
        self.login(self.leader)

    def docx_text(self, response) -> str:
        document = Document(io.BytesIO(response.content))
        return "\n".join(paragraph.text for paragraph in document.paragraphs)

    def test_the_word_file_opens_and_carries_the_figures(self):
        response = self.client.get(reverse("reports:chronicle_docx", args=[self.chronicle.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn(".docx", response["Content-Disposition"])
        text = self.docx_text(response)
        self.assertIn(self.chronicle.title, text)
        self.assertIn(f"督促全院{self.students}名学生、{self.teachers}名教师", text)
        self.assertIn("闻令而动", text)
        self.assertIn("数据说明", text)
        self.assertIn("草稿", text)
        self.assertNotIn("{{", text)
        self.assertNotIn("{%", text)
        heading = next(
            p
            for p in Document(io.BytesIO(response.content)).paragraphs
            if p.text == "闻令而动\u3000统筹部署"
        )
        self.assertEqual(heading.style.name if heading.style else None, "Heading 2")

    def test_the_pdf_reads_in_chinese_with_the_figures(self):
        response = self.client.get(reverse("reports:chronicle_pdf", args=[self.chronicle.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        text = pdf_text(response.content).replace("\n", "")
        self.assertIn("温暖坚毅", text)
        self.assertIn(f"督促全院{self.students}名学生、{self.teachers}名教师", text)
        self.assertIn("数据说明", text)

    def test_a_published_chronicle_exports_its_frozen_figures(self):
        actions.publish(self.chronicle, acting_user=self.leader)
        self.add_student()
        response = self.client.get(reverse("reports:chronicle_docx", args=[self.chronicle.pk]))
        text = self.docx_text(response)
        self.assertIn(f"督促全院{self.students}名学生", text)
        self.assertIn("数据统计于", text)
        pdf = pdf_text(
            self.client.get(reverse("reports:chronicle_pdf", args=[self.chronicle.pk])).content
        ).replace("\n", "")
        self.assertIn(f"督促全院{self.students}名学生", pdf)

    def test_its_notes_on_the_figures_are_in_chinese_for_an_english_reader(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = self.client.get(reverse("reports:chronicle_docx", args=[self.chronicle.pk]))
        with translation.override("zh-hans"):
            label = str(FIGURES["students"].label)
        self.assertNotEqual(label, "students")
        self.assertIn(f"{label}：{self.students}。", self.docx_text(response))

    def test_the_word_template_is_what_its_script_makes(self):
        def paragraphs(path):
            document = Document(str(path))
            return [(p.style.name if p.style else "", p.text) for p in document.paragraphs]

        with tempfile.TemporaryDirectory() as folder:
            made = make_chronicle_docx.build(Path(folder) / "chronicle.docx")
            self.assertEqual(paragraphs(made), paragraphs(DOCX_TEMPLATE))

    def test_each_export_is_audited(self):
        self.client.get(reverse("reports:chronicle_docx", args=[self.chronicle.pk]))
        self.client.get(reverse("reports:chronicle_pdf", args=[self.chronicle.pk]))
        entries = LogEntry.objects.filter(
            kind="reports.chronicle_exported", object_id=self.chronicle.pk
        )
        self.assertEqual(
            sorted(entry.additional_data["format"] for entry in entries), ["docx", "pdf"]
        )
        self.assertEqual({entry.actor_id for entry in entries}, {self.leader.pk})
