"""A plan's outline imported from the office's Excel sheet: check, preview,
commit, and the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from shouwang.core.models import LogEntry
from shouwang.test import make_person
from shouwang.workplan.audit import WorkplanEvent
from shouwang.workplan.imports import parse_date, parse_money, strip_numbering
from shouwang.workplan.models import Area, KeyPoint, Measure, PlanImport

from .base import PlanTestCase

HEADER = ["工作方面", "工作要点", "具体举措", "牵头单位", "负责人", "协同负责人",
          "开始日期", "完成时限", "预算（元）", "承担支部/先锋岗"]  # fmt: skip


def outline_file(rows, *, merge: list[str] | None = None) -> bytes:
    """An outline as the office makes it: a title row, the header, the rows;
    `merge` names ranges of merged cells (an outline pasted from Word)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["2022年学院工作要点（任务分解表）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in merge or []:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportTestCase(PlanTestCase):
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

    def upload(self, data: bytes, plan=None) -> PlanImport | None:
        plan = plan or self.plan
        before = set(PlanImport.objects.values_list("pk", flat=True))
        # The check is queued on commit; tests run tasks inline.
        with self.captureOnCommitCallbacks(execute=True):
            self.response = self.client.post(
                reverse("workplan:plan_import", args=[plan.pk]),
                {"file": SimpleUploadedFile("要点.xlsx", data)},
            )
        item = PlanImport.objects.exclude(pk__in=before).first()
        if item is not None:
            item.refresh_from_db()
        return item

    def commit(self, item: PlanImport | None) -> PlanImport:
        assert item is not None, "the upload made no import"
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("workplan:plan_import_commit", args=[item.pk]))
        item.refresh_from_db()
        return item

    def good_rows(self):
        return [
            # The area and key point of the measure entered in the page: it is matched.
            ["二、本科教育", "（一）加强专业内涵建设", "1. 推进国家一流专业建设", "信息学院",
             "T1010", "赵璞、钱老师", "", "2022年12月31日", "5万", ""],
            # Same area and key point as above, left blank.
            ["", "", "2. 组织专业认证", "信息学院", "钱老师", "T1001、T1020", "2022/3/1",
             "2022/6/30", "8,000.5", "本科生党支部"],
            ["", "（二）深化教学改革", "1、建设线上一流课程", "信息学院", "郭督导", "", "",
             dt.date(2022, 9, 30), 20000, ""],
            ["一、党建团学", "（一）加强党的政治建设", "1.开展党史学习教育", "信息学院", "T1001",
             "钱老师;李明", "", "2022-07-01", "", ""],
        ]  # fmt: skip


class CheckTests(ImportTestCase):
    def test_a_good_file_is_previewed_with_what_it_assumed(self):
        self.login(self.leader)
        item = self.upload(outline_file(self.good_rows()))
        assert item is not None
        self.assertRedirects(
            self.response,
            reverse("workplan:plan_import_detail", args=[item.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(item.status, PlanImport.Status.CHECKED)
        self.assertEqual((item.total_rows, item.valid_rows, item.invalid_rows), (4, 4, 0))
        warnings = {warning["code"]: warning["message"] for warning in item.warnings}
        self.assertEqual(set(warnings), {"area_above", "key_point_above"})
        self.assertIn("2 rows leave the area blank", warnings["area_above"])
        self.assertIn("rows 4; 5", warnings["area_above"])
        self.assertIn("rows 4", warnings["key_point_above"])
        # Nothing is written by a check.
        self.assertEqual(Measure.objects.count(), 1)
        page = self.client.get(reverse("workplan:plan_import_detail", args=[item.pk]))
        self.assertContains(page, 'data-code="area_above"')
        self.assertContains(page, 'data-testid="commit"')

    def test_merged_cells_read_as_the_row_above(self):
        self.login(self.leader)
        rows = self.good_rows()
        rows[1][0] = rows[1][1] = None
        item = self.upload(outline_file(rows, merge=["A3:A5", "B3:B4"]))
        assert item is not None
        self.assertEqual((item.valid_rows, item.invalid_rows), (4, 0))

    def test_every_bad_row_says_why_by_its_row_number(self):
        make_person("T3001", "李明", "teacher", unit=self.college)
        self.login(self.leader)
        point = ["一、本科教育", "（一）专业建设"]
        rows = [
            [*point, "科研项目申报", "外星学院", "T1010", "", "", "2022-12-31", "1000", ""],
            [*point, "研究生招生", "信息学院", "T9999", "", "", "2022-12-31", "1000", ""],
            [*point, "人才引进", "信息学院", "李明", "", "", "2022-12-31", "1000", ""],
            [*point, "就业率", "信息学院", "T1010", "", "", "6月底", "1000", ""],
            [*point, "学科评估", "信息学院", "T1010", "", "", "2022-12-31", "五万", ""],
            [*point, "国际交流", "信息学院", "T1010", "无名氏", "", "", "", "无此支部"],
            ["", "", "", "信息学院", "T1010", "", "", "", "", ""],
        ]
        item = self.upload(outline_file(rows))
        assert item is not None
        self.assertEqual((item.total_rows, item.valid_rows, item.invalid_rows), (7, 0, 7))
        errors = {(error["row"], error["field"]): error["reason"] for error in item.errors}
        self.assertEqual(errors[(3, "owner_unit")], "no unit named 外星学院")
        self.assertEqual(errors[(4, "owner")], "no member of staff numbered or named T9999")
        self.assertIn("2 members of staff are named 李明", errors[(5, "owner")])
        self.assertIn("“6月底” is not a date", errors[(6, "due_on")])
        self.assertIn("“五万” is not an amount of yuan", errors[(7, "budget")])
        self.assertIn("无名氏", errors[(8, "co_owners")])
        self.assertIn("无此支部", errors[(8, "carrier")])
        self.assertEqual(errors[(9, "measure")], "missing")
        page = self.client.get(reverse("workplan:plan_import_detail", args=[item.pk]))
        self.assertContains(page, "外星学院")
        self.assertNotContains(page, 'data-testid="commit"')

    def test_a_file_without_the_columns_fails_with_the_reason(self):
        self.login(self.leader)
        book = Workbook()
        book.active.append(["姓名", "学号"])
        out = io.BytesIO()
        book.save(out)
        item = self.upload(out.getvalue())
        assert item is not None
        self.assertEqual(item.status, PlanImport.Status.FAILED)
        self.assertIn("方面", item.failure)

    def test_cells_are_read_as_offices_write_them(self):
        self.assertEqual(strip_numbering("（十二）加强党的建设"), "加强党的建设")
        self.assertEqual(strip_numbering("十、就业创业"), "就业创业")
        self.assertEqual(strip_numbering("3. 5G实验室建设"), "5G实验室建设")
        self.assertEqual(strip_numbering("2022年度招生"), "2022年度招生")
        self.assertEqual(parse_date("2022年6月30日"), dt.date(2022, 6, 30))
        self.assertEqual(parse_date("2022/6/30"), dt.date(2022, 6, 30))
        self.assertEqual(parse_date("2022-06-30 00:00:00"), dt.date(2022, 6, 30))
        self.assertIsNone(parse_date("6月底"))
        self.assertIsNone(parse_date("2022-02-30"))
        self.assertEqual(parse_money("5万"), Decimal(50000))
        self.assertEqual(parse_money("1.5万元"), Decimal(15000))
        self.assertEqual(parse_money("¥12,000"), Decimal(12000))
        self.assertIsNone(parse_money("五万"))

    def test_the_template_downloads_with_the_columns_it_reads(self):
        self.login(self.leader)
        response = self.client.get(reverse("workplan:plan_import_template", args=[self.plan.pk]))
        self.assertIn("attachment", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[:5], ["方面", "要点", "举措", "牵头单位", "负责人"])
        self.assertEqual(sheet.max_row, 2)


class CommitTests(ImportTestCase):
    def test_commit_creates_what_is_missing_and_updates_what_is_there(self):
        self.login(self.leader)
        item = self.commit(self.upload(outline_file(self.good_rows())))
        self.assertEqual(item.status, PlanImport.Status.COMMITTED)
        self.assertEqual(
            item.summary,
            {"areas_created": 1, "key_points_created": 2, "created": 3, "updated": 1,
             "unchanged": 0},
        )  # fmt: skip
        # The plan's areas: the one entered in the page, and the one imported after it.
        self.assertEqual(
            [(area.number, area.title) for area in Area.objects.filter(plan=self.plan)],
            [(1, "本科教育"), (2, "党建团学")],
        )
        self.assertEqual(
            list(KeyPoint.objects.filter(area=self.area).values_list("number", "title")),
            [(1, "加强专业内涵建设"), (2, "深化教学改革")],
        )
        self.measure.refresh_from_db()
        # The owner stays; the co-owners, due date and budget are the file's.
        self.assertEqual(self.measure.owner, self.teacher_person)
        self.assertEqual(set(self.measure.co_owners.all()), {self.counsellor_a, self.counsellor_b})
        self.assertEqual(self.measure.budget, Decimal(50000))
        certification = Measure.objects.get(title="组织专业认证")
        self.assertEqual((certification.key_point, certification.number), (self.key_point, 2))
        self.assertEqual(certification.owner, self.counsellor_b)
        self.assertEqual(
            set(certification.co_owners.all()), {self.counsellor_a, self.supervisor_person}
        )
        self.assertEqual(certification.starts_on, dt.date(2022, 3, 1))
        self.assertEqual(certification.due_on, dt.date(2022, 6, 30))
        self.assertEqual(certification.budget, Decimal("8000.50"))
        self.assertEqual(certification.branch, self.party_branch)
        self.assertEqual(certification.reports.count(), 4)  # March to June
        course = Measure.objects.get(title="建设线上一流课程")
        self.assertEqual((course.key_point.title, course.number), ("深化教学改革", 1))
        self.assertEqual(course.due_on, dt.date(2022, 9, 30))
        history = LogEntry.objects.get_for_object(self.plan).filter(
            kind=WorkplanEvent.PLAN_IMPORTED
        )
        self.assertEqual(history.count(), 1)
        page = self.client.get(reverse("workplan:plan_import_detail", args=[item.pk]))
        self.assertContains(page, 'data-testid="summary"')

    def test_the_same_file_again_changes_nothing(self):
        self.login(self.leader)
        data = outline_file(self.good_rows())
        self.commit(self.upload(data))
        counts = (Area.objects.count(), KeyPoint.objects.count(), Measure.objects.count())
        entries = LogEntry.objects.count()
        item = self.commit(self.upload(data))
        self.assertEqual(
            item.summary,
            {"areas_created": 0, "key_points_created": 0, "created": 0, "updated": 0,
             "unchanged": 4},
        )  # fmt: skip
        self.assertEqual(
            (Area.objects.count(), KeyPoint.objects.count(), Measure.objects.count()), counts
        )
        # Only the import itself is recorded: no measure or outline entry.
        new = LogEntry.objects.order_by("pk")[entries:]
        self.assertEqual([entry.kind for entry in new], [WorkplanEvent.PLAN_IMPORTED.value])

    def test_a_changed_owner_and_budget_are_updated_and_in_the_measures_history(self):
        self.login(self.leader)
        rows = self.good_rows()
        rows[0][4] = "T1002"
        rows[0][8] = "60000"
        self.commit(self.upload(outline_file(rows)))
        self.measure.refresh_from_db()
        self.assertEqual((self.measure.owner, self.measure.budget), (self.counsellor_b, 60000))
        entry = LogEntry.objects.get_for_object(self.measure).order_by("pk").last()
        assert entry is not None
        self.assertEqual(
            entry.additional_data["changes"]["owner"], ["李明 (T1010)", "钱老师 (T1002)"]
        )


class WhoImportsTests(ImportTestCase):
    def test_staff_of_the_college_may_not_import(self):
        self.login(self.teacher)
        self.assertIsNone(self.upload(outline_file(self.good_rows())))
        self.assertEqual(self.response.status_code, 403)

    def test_a_leader_of_another_college_cannot_import_into_this_plan(self):
        self.create_other_college()
        self.login(self.leader)
        item = self.upload(outline_file(self.good_rows()))
        assert item is not None
        self.login(self.leader_b)
        self.assertIsNone(self.upload(outline_file(self.good_rows())))
        self.assertEqual(self.response.status_code, 404)
        detail = reverse("workplan:plan_import_detail", args=[item.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)
        commit = reverse("workplan:plan_import_commit", args=[item.pk])
        self.assertEqual(self.client.post(commit).status_code, 404)
        item.refresh_from_db()
        self.assertEqual(item.status, PlanImport.Status.CHECKED)
        self.assertEqual(Measure.objects.count(), 1)
