"""An employer list imported from the spreadsheet it arrives in: check,
preview, commit, and the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from shouwang.careers.audit import CareersEvent
from shouwang.careers.employer_import import Salary, parse_majors, parse_salary
from shouwang.careers.models import Employer, EmployerImport, Position
from shouwang.core.models import LogEntry

from .base import CareersTestCase

HEADER = ["单位名称", "所属行业", "所在城市", "联系人", "联系电话", "邮箱", "岗位名称",
          "需求专业", "工作城市", "薪资", "招聘人数", "截止日期"]  # fmt: skip


def employer_file(rows, *, merge: list[str] | None = None) -> bytes:
    """An employer list as the office receives it: a title row, the header, the rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["2022届毕业生网络双选会参会单位及岗位信息汇总表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in merge or []:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows():
    return [
        # The employer already stored: its contact is added, its position updated.
        ["太原软件科技有限公司", "信息技术", "太原", "王经理", "0351-7666000", "hr@tyrj.com",
         "Java开发工程师", "计算机科学与技术、软件工程", "太原", "7000-10000", "6人",
         "2030-06-30"],
        # Same employer, left blank (a merged cell): a new position.
        ["", "", "", "", "", "", "测试工程师", "不限", "", "8k-12k", "若干", dt.date(2030, 7, 15)],
        ["山西数智科技有限公司", "互联网", "太原", "李老师", "139 1234 5678", "", "数据分析师",
         "信息管理与信息系统；计算机科学与技术", "北京", "面议", 3, "2030/6/1"],
        ["晋商银行", "金融", "太原", "", "", "", "管培生", "", "", "年薪12万", "", ""],
    ]  # fmt: skip


class ImportTestCase(CareersTestCase):
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

    def upload(self, data: bytes) -> EmployerImport:
        before = set(EmployerImport.objects.values_list("pk", flat=True))
        # The check is queued on commit; tests run tasks inline.
        with self.captureOnCommitCallbacks(execute=True):
            self.response = self.client.post(
                reverse("careers:employer_import"),
                {"file": SimpleUploadedFile("招聘单位.xlsx", data)},
            )
        item = EmployerImport.objects.exclude(pk__in=before).get()
        item.refresh_from_db()
        return item

    def commit(self, item: EmployerImport) -> EmployerImport:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("careers:employer_import_commit", args=[item.pk]))
        item.refresh_from_db()
        return item

    def stored(self) -> list[tuple]:
        """Every employer and position as stored, to compare before and after."""
        return list(
            Position.objects.order_by("pk").values_list(
                "employer__name",
                "employer__sector",
                "employer__contact_phone",
                "title",
                "city",
                "salary_min",
                "salary_max",
                "openings",
                "deadline",
            )
        ) + [
            tuple(sorted(p.majors.values_list("programme", flat=True)))
            for p in Position.objects.order_by("pk")
        ]


class CheckTests(ImportTestCase):
    def test_a_good_file_is_previewed_with_what_it_assumed_and_nothing_written(self):
        self.login(self.office)
        item = self.upload(employer_file(good_rows()))
        self.assertRedirects(
            self.response,
            reverse("careers:employer_import_detail", args=[item.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(item.status, EmployerImport.Status.CHECKED)
        self.assertEqual((item.total_rows, item.valid_rows, item.invalid_rows), (4, 4, 0))
        warnings = {warning["code"]: warning["message"] for warning in item.warnings}
        self.assertEqual(
            set(warnings),
            {"employer_above", "unknown_major", "openings_unstated", "yearly_salary"},
        )
        self.assertIn("rows 4", warnings["employer_above"])
        self.assertIn("软件工程", warnings["unknown_major"])
        self.assertIn("年薪12万", warnings["yearly_salary"])
        self.assertEqual(Employer.objects.count(), 1)
        self.assertEqual(Position.objects.count(), 1)
        page = self.client.get(reverse("careers:employer_import_detail", args=[item.pk]))
        self.assertContains(page, 'data-code="employer_above"')
        self.assertContains(page, 'data-testid="commit"')

    def test_bad_rows_are_reported_with_their_row_numbers(self):
        self.login(self.office)
        rows = [
            ["", "", "", "", "", "", "无单位的岗位", "", "", "6000", "", ""],
            ["甲公司", "", "", "", "12345", "not-an-email", "岗位一", "", "", "看情况", "0",
             "明年"],
            ["甲公司", "", "", "", "", "", "岗位一", "", "", "", "", ""],
            ["乙公司", "", "", "", "", "", "岗位二", "", "", "6-9", "2", "2030-02-30"],
            ["丙公司", "", "", "", "", "", "", "", "", "9000-6000", "", ""],
            ["丁公司", "", "", "", "", "", "好岗位", "", "", "6000-9000", "1", "2030-06-30"],
        ]  # fmt: skip
        item = self.upload(employer_file(rows))
        errors = {(error["row"], error["field"]) for error in item.errors}
        self.assertEqual(
            errors,
            {
                (3, "employer"),
                (4, "contact_phone"),
                (4, "contact_email"),
                (4, "salary"),
                (4, "openings"),
                (4, "deadline"),
                (5, "title"),  # 甲公司 · 岗位一 again
                (6, "salary"),  # 6-9 yuan is no monthly salary
                (6, "deadline"),  # no 30 February
                (7, "title"),  # a salary needs its position
            },
        )
        self.assertEqual((item.valid_rows, item.invalid_rows), (1, 5))
        page = self.client.get(reverse("careers:employer_import_detail", args=[item.pk]))
        self.assertContains(page, "repeats row 4")
        self.assertContains(page, "“看情况” is not a monthly salary")

    def test_a_file_without_the_columns_fails_with_the_reason(self):
        self.login(self.office)
        book = Workbook()
        book.active.append(["姓名", "学号"])
        out = io.BytesIO()
        book.save(out)
        item = self.upload(out.getvalue())
        self.assertEqual(item.status, EmployerImport.Status.FAILED)
        self.assertIn("单位名称", item.failure)

    def test_only_those_who_run_careers_import(self):
        self.login(self.student)
        response = self.client.post(
            reverse("careers:employer_import"),
            {"file": SimpleUploadedFile("招聘单位.xlsx", employer_file(good_rows()))},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(EmployerImport.objects.exists())

    def test_the_template_reads_back_as_a_good_file(self):
        self.login(self.office)
        response = self.client.get(reverse("careers:employer_import_template"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual([cell.value for cell in sheet[1]][:12], HEADER)
        item = self.upload(response.content)
        self.assertEqual((item.valid_rows, item.invalid_rows), (2, 0))


class CommitTests(ImportTestCase):
    def test_committing_creates_and_updates_employers_and_positions(self):
        self.login(self.office)
        item = self.commit(self.upload(employer_file(good_rows())))
        self.assertEqual(item.status, EmployerImport.Status.COMMITTED)
        self.assertEqual(
            item.summary,
            {
                "employers_created": 2,
                "employers_updated": 1,
                "created": 3,
                "updated": 1,
                "unchanged": 0,
            },
        )
        employer = Employer.objects.get(name="太原软件科技有限公司")
        self.assertEqual(
            (employer.contact_name, employer.contact_phone, employer.contact_email),
            ("王经理", "0351-7666000", "hr@tyrj.com"),
        )
        java = Position.objects.get(employer=employer, title="Java开发工程师")
        self.assertEqual((java.salary_min, java.salary_max, java.openings), (7000, 10000, 6))
        self.assertEqual(
            sorted(java.majors.values_list("programme", flat=True)),
            ["计算机科学与技术", "软件工程"],
        )
        tester = Position.objects.get(title="测试工程师")
        self.assertEqual((tester.employer, tester.openings), (employer, 1))
        self.assertEqual(tester.deadline, dt.date(2030, 7, 15))
        self.assertFalse(tester.majors.exists())  # 不限: every major
        analyst = Position.objects.get(title="数据分析师")
        self.assertEqual((analyst.salary_min, analyst.salary_max), (None, None))
        self.assertEqual(analyst.employer.contact_phone, "13912345678")
        trainee = Position.objects.get(title="管培生")
        self.assertEqual((trainee.salary_min, trainee.salary_max), (10000, 10000))
        self.assertTrue(
            LogEntry.objects.get_for_object(item)
            .filter(kind=CareersEvent.EMPLOYERS_IMPORTED.value)
            .exists()
        )
        page = self.client.get(reverse("careers:employer_import_detail", args=[item.pk]))
        self.assertContains(page, 'data-testid="summary"')

    def test_the_same_file_again_changes_nothing(self):
        self.login(self.office)
        data = employer_file(good_rows())
        self.commit(self.upload(data))
        before = self.stored()
        saved = LogEntry.objects.filter(
            kind__in=[CareersEvent.EMPLOYER_SAVED.value, CareersEvent.POSITION_SAVED.value]
        ).count()
        again = self.commit(self.upload(data))
        self.assertEqual(
            again.summary,
            {
                "employers_created": 0,
                "employers_updated": 0,
                "created": 0,
                "updated": 0,
                "unchanged": 4,
            },
        )
        self.assertEqual(self.stored(), before)
        self.assertEqual(
            LogEntry.objects.filter(
                kind__in=[CareersEvent.EMPLOYER_SAVED.value, CareersEvent.POSITION_SAVED.value]
            ).count(),
            saved,
        )

    def test_a_blank_cell_leaves_what_is_stored(self):
        self.login(self.office)
        self.commit(self.upload(employer_file(good_rows())))
        rows = [["太原软件科技有限公司", "", "", "", "", "", "Java开发工程师", "", "", "", "8",
                 ""]]  # fmt: skip
        item = self.commit(self.upload(employer_file(rows)))
        self.assertEqual(item.summary["updated"], 1)
        java = Position.objects.get(title="Java开发工程师")
        self.assertEqual((java.salary_min, java.salary_max, java.openings), (7000, 10000, 8))
        self.assertEqual(java.majors.count(), 2)
        self.assertEqual(java.employer.contact_name, "王经理")

    def test_only_valid_rows_are_committed(self):
        self.login(self.office)
        rows = [*good_rows(), ["坏公司", "", "", "", "电话", "", "岗位", "", "", "", "", ""]]
        item = self.commit(self.upload(employer_file(rows)))
        self.assertEqual(item.invalid_rows, 1)
        self.assertFalse(Employer.objects.filter(name="坏公司").exists())
        self.assertEqual(Position.objects.count(), 4)

    def test_a_file_committed_once_is_not_committed_twice(self):
        self.login(self.office)
        item = self.commit(self.upload(employer_file(good_rows())))
        response = self.client.post(reverse("careers:employer_import_commit", args=[item.pk]))
        self.assertRedirects(response, reverse("careers:employer_import_detail", args=[item.pk]))
        self.assertEqual(Position.objects.count(), 4)


class SalaryTests(SimpleTestCase):
    def test_it_reads_the_ways_salaries_are_written(self):
        cases = {
            "6000-9000": Salary(6000, 9000),
            "6000～9000元/月": Salary(6000, 9000),
            "8k-12k": Salary(8000, 12000),
            "8K-12K": Salary(8000, 12000),
            "8-12k": Salary(8000, 12000),
            "月薪8千-1.2万": Salary(8000, 12000),
            "0.6万-0.9万": Salary(6000, 9000),
            "6000-1.2万": Salary(6000, 12000),
            "8k-12k·13薪": Salary(8000, 12000),
            "6000": Salary(6000, 6000),
            "1万以上": Salary(10000, None),
            "6000元起": Salary(6000, None),
            "9000以下": Salary(None, 9000),
            "面议": Salary(None, None),
            "年薪12万": Salary(10000, 10000, yearly=True),
            "12-18万/年": Salary(10000, 15000, yearly=True),
        }
        for text, salary in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_salary(text), salary)

    def test_it_refuses_what_is_no_monthly_salary(self):
        for text in ("看情况", "6-9", "9000-6000", "1.2.3万", "-5000", "100"):
            with self.subTest(text=text):
                self.assertIsNone(parse_salary(text))

    def test_majors_are_split_on_the_usual_separators(self):
        self.assertEqual(
            parse_majors("计算机科学与技术、软件工程；数据科学,软件工程"),
            ["计算机科学与技术", "软件工程", "数据科学"],
        )
        self.assertEqual(parse_majors("专业不限"), [])
