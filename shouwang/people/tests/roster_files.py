"""Roster files for tests, built the way registrars' exports look."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.utils import translation
from openpyxl import Workbook, load_workbook

from shouwang.people.models import Person
from shouwang.test import BaseTestCase

FILES = Path(__file__).parent / "files"
# The canonical header, as export writes it.
HEADER = [
    "学号/工号", "姓名", "类别", "性别", "手机", "政治面貌", "单位", "年级", "专业", "培养层次",
    "班级", "辅导员工号", "宿舍", "党团支部", "毕业班", "状态",
]  # fmt: skip


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_cells(data: bytes) -> list[list[Any]]:
    """The stored values of an .xlsx file's first sheet, as openpyxl sees them."""
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class RosterTestCase(BaseTestCase):
    """The personas, a temporary folder for files, and messages in English (the
    source strings; the site's default language is Chinese)."""

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def write(self, name: str, data: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def write_xlsx(self, rows: list[list[Any]], name: str = "roster.xlsx") -> Path:
        return self.write(name, xlsx_bytes(rows))


def snapshot() -> list[tuple]:
    """Every stored person with every field, to show that an import changed nothing."""
    return list(Person.objects.order_by("number").values_list())
