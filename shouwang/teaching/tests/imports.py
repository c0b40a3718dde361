"""Timetable and enrolment files for tests, and uploading them through the pages."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from shouwang.lib.spreadsheets import write_xlsx

from .base import TeachingTestCase

TIMETABLE_HEADER = [
    "课程代码",
    "课程名称",
    "教学班",
    "教师工号",
    "上课时间",
    "地点",
    "开课单位",
    "学时",
]
ENROLMENT_HEADER = ["教学班", "学号", "姓名"]


def xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    return write_xlsx(header, rows)


class ImportTestCase(TeachingTestCase):
    """Files stored in a temporary folder, pages and messages in English."""

    def setUp(self):
        super().setUp()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def upload(self, kind: str, data: bytes, name: str = "file.xlsx", term=None):
        upload = SimpleUploadedFile(name, data)
        # The check is queued on commit; tests run tasks inline.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse(f"teaching:{kind}_import"),
                {"file": upload, "term": (term or self.term).pk},
            )

    def commit(self, kind: str, item):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse(f"teaching:{kind}_import_commit", args=[item.pk]))
