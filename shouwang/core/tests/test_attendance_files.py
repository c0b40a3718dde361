"""Reading the platforms' attendance exports, as teachers download them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.test import SimpleTestCase
from django.utils import translation
from openpyxl import Workbook

from shouwang.core import attendance_files
from shouwang.core.attendance_files import State, match, parse_minutes
from shouwang.lib.spreadsheets import SpreadsheetError, stream_rows, write_csv

EXPECTED = {"2020001": 1, "2021001": 2, "2021002": 3}


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """A workbook as the platforms write it: title lines above the table."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, name: str):
    return attendance_files.read(stream_rows(io.BytesIO(data), name), EXPECTED)


TENCENT: list[list[Any]] = [
    ["会议主题：数据库原理（第7周）"],
    ["会议号：123 456 789", None, "会议时间：2022-04-12 10:00 - 11:40"],
    [],
    ["序号", "用户昵称", "会中昵称", "入会时间", "退会时间", "参会时长", "入会身份"],
    [1, "2020001张三", "张三", "2022-04-12 10:02:11", "2022-04-12 10:50:00", "48分钟", "手机"],
    # The same student again after a dropped connection.
    [2, "2020001张三", "张三", "2022-04-12 10:55:00", "2022-04-12 11:35:00", "40分钟", "手机"],
    [
        3,
        "李四-2021001",
        "李四",
        "2022-04-12 10:00:05",
        "2022-04-12 11:40:00",
        "1小时25分钟",
        "电脑",
    ],
    # A class name's digits are no student's number.
    [4, "计科2001 王同学", "", "2022-04-12 10:10:00", "2022-04-12 11:00:00", "00:50:30", ""],
    [5, "李明老师", "", "2022-04-12 09:55:00", "2022-04-12 11:40:00", "105分钟", ""],
    [6, "计科2001 王同学", "", "2022-04-12 11:05:00", "2022-04-12 11:20:00", "15:20", ""],
    [],
    ["导出时间：2022-04-12 12:00"],
]


class DurationTestCase(SimpleTestCase):
    def test_every_way_the_platforms_write_a_duration_is_minutes(self):
        cases = {
            "85分钟": 85,
            "1小时25分钟": 85,
            "1小时": 60,
            "01:25:10": 85,
            "0:50:40": 51,
            "15:20": 15,
            "85": 85,
            "1时25分10秒": 85,
            "5100秒": 85,
            "": None,
            "未知": None,
        }
        for text, minutes in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_minutes(text), minutes)


class TencentMeetingTestCase(SimpleTestCase):
    def test_a_student_who_joined_twice_is_found_once_with_the_minutes_summed(self):
        check = read(xlsx(TENCENT), "参会成员明细.xlsx")
        found = match(check.rows, EXPECTED)
        self.assertEqual(found.minutes, {1: 88, 2: 85})
        self.assertEqual(check.errors, [])

    def test_rows_without_an_expected_number_are_unmatched_one_per_name(self):
        found = match(read(xlsx(TENCENT), "参会成员明细.xlsx").rows, EXPECTED)
        self.assertEqual(
            [(row.row, row.name, row.minutes) for row in found.unmatched],
            [(8, "计科2001 王同学", 65), (9, "李明老师", 105)],
        )

    def test_without_a_duration_the_join_and_leave_times_count(self):
        rows = [
            ["参会者", "入会时间", "退会时间"],
            ["2021002 王五", "2022-04-12 10:00:00", "2022-04-12 11:30:00"],
        ]
        check = attendance_files.read(rows, EXPECTED)
        self.assertEqual(match(check.rows, EXPECTED).minutes, {3: 90})

    def test_the_same_file_as_csv_in_gbk_reads_alike(self):
        text = "\r\n".join(
            ",".join("" if cell is None else str(cell) for cell in row) for row in TENCENT
        )
        found = match(read(text.encode("gb18030"), "参会成员明细.csv").rows, EXPECTED)
        self.assertEqual(found.minutes, {1: 88, 2: 85})

    def test_excel_times_and_durations_as_cells_are_read(self):
        # Excel cells hold wall-clock times, with no zone.
        at = dt.datetime.combine
        day = dt.date(2022, 4, 12)
        rows: list[list[Any]] = [
            ["用户昵称", "入会时间", "退会时间", "参会时长"],
            ["2020001", at(day, dt.time(10)), at(day, dt.time(11)), dt.time(1, 0)],
            ["2021001", at(day, dt.time(10)), at(day, dt.time(10, 40)), None],
        ]
        found = match(read(xlsx(rows), "export.xlsx").rows, EXPECTED)
        self.assertEqual(found.minutes, {1: 60, 2: 40})


class SignInTestCase(SimpleTestCase):
    def test_a_chaoxing_sign_in_matches_by_the_number_column_and_keeps_the_states(self):
        rows = [
            ["数据库原理 签到详情"],
            ["姓名", "学号/工号", "院系", "专业", "班级", "签到时间", "签到状态", "签到方式"],
            ["张三", "2020001", "信息学院", "计科", "计科2001", "2022-04-12 10:01", "已签", "手势"],
            ["李四", "2021001", "信息学院", "信管", "信管2101", "2022-04-12 10:12", "迟到", "手势"],
            ["王五", "2021002", "信息学院", "信管", "信管2101", "", "未签", ""],
            ["赵六", "2021999", "信息学院", "信管", "信管2101", "2022-04-12 10:02", "已签", "手势"],
        ]
        found = match(read(write_csv(rows[1], rows[2:]), "签到.csv").rows, EXPECTED)
        self.assertEqual(found.minutes, {1: None, 2: None})
        self.assertEqual(found.states, {2: State.LATE})
        # Not in the class: listed for the teacher, by the row it is on.
        self.assertEqual([(row.row, row.name) for row in found.unmatched], [(5, "赵六")])

    def test_a_dingtalk_check_in_reads_its_result_column(self):
        rows = [
            ["姓名", "考勤组", "部门", "工号", "日期", "上班1打卡时间", "上班1打卡结果"],
            ["张三", "网课", "计科2001", "2020001", "2022-04-12", "10:00", "正常"],
            ["李四", "网课", "信管2101", "2021001", "2022-04-12", "", "缺卡"],
            ["王五", "网课", "信管2101", "2021002", "2022-04-12", "", "请假"],
        ]
        found = match(read(xlsx(rows), "考勤.xlsx").rows, EXPECTED)
        self.assertEqual(found.minutes, {1: None, 3: None})
        self.assertEqual(found.states, {3: State.LEAVE})


class NotAnExportTestCase(SimpleTestCase):
    def test_a_file_with_no_column_of_names_says_so(self):
        with (
            translation.override("en"),
            self.assertRaisesMessage(SpreadsheetError, "not an attendance export"),
        ):
            attendance_files.read([["课程", "教师"], ["数据库原理", "李明"]], EXPECTED)

    def test_a_row_without_a_name_is_a_row_error(self):
        check = attendance_files.read(
            [["用户昵称", "参会时长", "入会时间"], ["", "85分钟", "10:00"]], EXPECTED
        )
        self.assertEqual([(error.row, error.field) for error in check.errors], [(2, "name")])
