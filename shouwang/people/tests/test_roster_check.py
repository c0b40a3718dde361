"""Reading what registrars really send: check_roster on files, and import_roster."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command

from shouwang.core.models import LogEntry
from shouwang.lib.spreadsheets import SpreadsheetError, read_rows
from shouwang.people.models import AdminClass, DormRoom, Person, RosterImport
from shouwang.people.roster import RosterCheck, RosterRow, check_roster

from .roster_files import FILES, HEADER, RosterTestCase, snapshot


def rows_of(check: RosterCheck) -> dict[str, RosterRow]:
    return {row.number: row for row in check.rows}


def errors_of(check: RosterCheck) -> list[str]:
    return [str(error) for error in check.errors]


class CheckRosterTestCase(RosterTestCase):
    def check(self, rows, name="roster.xlsx"):
        return check_roster(read_rows(self.write_xlsx(rows, name)))

    def test_it_finds_the_header_below_a_title_row(self):
        check = self.check(
            [
                ["信息学院2024级学生花名册"],
                [None],
                ["学号", "姓名"],
                ["2024001", "欧阳娜娜"],
                ["2024002", ""],
            ]
        )
        self.assertEqual(list(rows_of(check)), ["2024001"])
        # Row numbers are the spreadsheet's own, title rows counted.
        self.assertEqual(errors_of(check), ["row 5: name: missing"])

    def test_it_reads_chinese_header_synonyms(self):
        for number, mobile in [("学号", "手机"), ("工号", "手机号码"), ("编号", "联系电话")]:
            with self.subTest(number=number, mobile=mobile):
                check = self.check(
                    [[number, " 姓 名 ", mobile], ["2024001", "欧阳娜娜", "13812345678"]]
                )
                self.assertEqual(rows_of(check)["2024001"].mobile, "13812345678")

    def test_it_ignores_stars_and_notes_in_header_cells(self):
        check = self.check(
            [["*学号", "姓名（必填）", "手机号码(选填)"], ["2024001", "欧阳娜娜", "13812345678"]]
        )
        self.assertEqual(rows_of(check)["2024001"].mobile, "13812345678")

    def test_it_reads_full_width_digits_and_spaces(self):
        check = self.check(
            [
                ["学号", "姓名", "手机", "年级"],
                ["２０２４ ００１", "李　雷", "１３８１２３４５６７８", "２０２４级"],
            ]
        )
        row = rows_of(check)["2024001"]
        self.assertEqual((row.name, row.mobile, row.grade), ("李雷", "13812345678", 2024))

    def test_it_reads_numbers_stored_as_excel_floats(self):
        check = self.check(
            [["学号", "姓名", "手机", "年级"], [2024001.0, "欧阳娜娜", 13812345678.0, 2024.0]]
        )
        row = rows_of(check)["2024001"]
        self.assertEqual((row.mobile, row.grade), ("13812345678", 2024))

    def test_it_reads_csv_cells_that_excel_was_told_to_keep_as_text(self):
        text = '学号,姓名,手机\r\n="2024001",欧阳娜娜,="13812345678"\r\n'
        check = check_roster(read_rows(self.write("roster.csv", text.encode("utf-8-sig"))))
        self.assertEqual(rows_of(check)["2024001"].mobile, "13812345678")

    def test_it_cleans_phones_with_spaces_dashes_and_country_code(self):
        phones = ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678",
                  "0086 13812345678", "(+86)138-1234-5678",
                  "８６１３８１２３４５６７８"]  # fmt: skip
        check = self.check(
            [["学号", "姓名", "手机"]]
            + [[f"20240{i:02d}", "张三", p] for i, p in enumerate(phones)]
        )
        self.assertEqual(check.errors, [])
        self.assertEqual({row.mobile for row in check.rows}, {"13812345678"})

    def test_it_rejects_a_phone_that_is_not_a_mobile_number(self):
        check = self.check([["学号", "姓名", "手机"], ["2024001", "张三", "0351-7666666"]])
        self.assertEqual(
            errors_of(check), ["row 2: mobile: “0351-7666666” is not an 11-digit mobile number"]
        )

    def test_it_reads_gender_as_chinese_or_latin_letters(self):
        genders = ["男", "女", "M", "F", "m", "f"]
        check = self.check(
            [["学号", "姓名", "性别"]]
            + [[f"20240{i:02d}", "张三", g] for i, g in enumerate(genders)]
        )
        self.assertEqual([row.gender for row in check.rows], ["M", "F", "M", "F", "M", "F"])

    def test_it_rejects_an_unknown_gender(self):
        check = self.check([["学号", "姓名", "性别"], ["2024001", "张三", "未知"]])
        self.assertEqual(errors_of(check), ["row 2: gender: unknown value “未知”"])

    def test_it_reads_short_forms_of_political_status(self):
        statuses = {"党员": "party_member", "中共党员": "party_member", "预备党员": "probationary",
                    "团员": "league_member", "共青团员": "league_member",
                    "群众": "masses"}  # fmt: skip
        rows = [[f"20240{i:02d}", "张三", s] for i, s in enumerate(statuses)]
        check = self.check([["学号", "姓名", "政治面貌"], *rows])
        self.assertEqual([row.political_status for row in check.rows], list(statuses.values()))

    def test_it_skips_blank_rows_and_footer_lines(self):
        check = self.check(
            [
                ["序号", "学号", "姓名"],
                [1, "2024001", "欧阳娜娜"],
                [None, None, None],
                [2, "2024002", "李雷"],
                [3],  # a serial number with nothing else
                [],
                ["合计：2人", None, None, "2"],
                ["制表人：学生处", None, None, "审核人：王老师"],
                ["注：本表由教务系统导出"],
            ]
        )
        self.assertEqual(list(rows_of(check)), ["2024001", "2024002"])
        self.assertEqual((check.total, check.errors), (2, []))

    def test_it_reports_a_row_with_data_but_no_number_or_name(self):
        check = self.check([["学号", "姓名", "性别", "手机"], [None, None, "男", "13812345678"]])
        self.assertEqual(errors_of(check), ["row 2: number: missing", "row 2: name: missing"])

    def test_it_rejects_a_repeated_number_naming_the_earlier_row(self):
        check = self.check(
            [
                ["学号", "姓名"],
                ["2024001", "欧阳娜娜"],
                ["2024002", "李雷"],
                [2024001.0, "韩梅梅"],
            ]
        )
        self.assertEqual(list(rows_of(check)), ["2024001", "2024002"])
        self.assertEqual(rows_of(check)["2024001"].name, "欧阳娜娜")
        self.assertEqual(errors_of(check), ["row 4: number: duplicate of row 2"])
        self.assertEqual(check.summary_line(), "valid: 2, invalid: 1")

    def test_it_rejects_a_repeated_number_even_when_the_first_row_is_bad(self):
        check = self.check(
            [["学号", "姓名", "手机"], ["2024001", "欧阳娜娜", "123"], ["2024001", "李雷", ""]]
        )
        self.assertIn("row 3: number: duplicate of row 2", errors_of(check))
        self.assertEqual(check.rows, [])

    def test_it_rejects_a_counsellor_number_that_does_not_exist(self):
        check = self.check(
            [["学号", "姓名", "班级", "辅导员工号"], ["2024001", "张三", "会计2401", "T9999"]]
        )
        self.assertEqual(errors_of(check), ["row 2: counsellor: no person with number T9999"])
        self.assertEqual(check.rows, [])

    def test_it_names_the_bad_row_of_a_counsellor_listed_in_the_file(self):
        check = self.check(
            [
                ["学号", "姓名", "手机", "班级", "辅导员工号"],
                ["2024001", "张三", "", "会计2401", "T2001"],
                ["T2001", "孙老师", "123", "", ""],
            ]
        )
        self.assertEqual(
            errors_of(check),
            [
                "row 2: counsellor: T2001 is in row 3, which has errors",
                "row 3: mobile: “123” is not an 11-digit mobile number",
            ],
        )

    def test_it_accepts_a_counsellor_listed_later_in_the_file(self):
        check = self.check(
            [
                ["学号", "姓名", "类别", "班级", "辅导员工号"],
                ["2024001", "张三", "学生", "会计2401", "T2001"],
                ["T2001", "孙老师", "教师", "", ""],
            ]
        )
        self.assertEqual((check.errors, len(check.rows)), ([], 2))

    def test_it_accepts_a_counsellor_already_stored(self):
        check = self.check(
            [["学号", "姓名", "班级", "辅导员工号"], ["2024001", "张三", "会计2401", "T1001"]]
        )
        self.assertEqual(check.errors, [])

    def test_it_rejects_a_second_counsellor_for_one_class(self):
        check = self.check(
            [
                ["学号", "姓名", "班级", "辅导员工号"],
                ["2024001", "张三", "会计2401", "T1001"],
                ["2024002", "李四", "会计2401", ""],
                ["2024003", "王五", "会计2401", "T1002"],
            ]
        )
        self.assertEqual(
            errors_of(check),
            ["row 4: counsellor: class 会计2401 already has counsellor T1001 in row 2"],
        )

    def test_it_rejects_a_unit_or_branch_that_does_not_exist(self):
        check = self.check(
            [["学号", "姓名", "学院", "支部"], ["2024001", "张三", "火星学院", "火星支部"]]
        )
        self.assertEqual(
            errors_of(check),
            [
                "row 2: unit: no unit named “火星学院”",
                "row 2: branch: no branch named “火星支部”",
            ],
        )

    def test_it_rejects_values_too_long_to_store(self):
        check = self.check(
            [["学号", "姓名", "专业", "宿舍"], ["2024001", "张" * 51, "专" * 101, "B-" + "1" * 21]]
        )
        self.assertEqual([e.field for e in check.errors], ["name", "programme", "dorm_room"])

    def test_it_rejects_a_file_without_a_header(self):
        with self.assertRaisesMessage(SpreadsheetError, "no header row"):
            self.check([["2024001", "张三"]])

    def test_it_reports_progress(self):
        calls = []
        rows = [["学号", "姓名"]] + [[f"2024{i:04d}", "张三"] for i in range(2500)]
        check_roster(
            read_rows(self.write_xlsx(rows)),
            progress=lambda done, total: calls.append((done, total)),
        )
        self.assertEqual(calls, [(1000, 2500), (2000, 2500), (2500, 2500)])


class ReadRowsTestCase(RosterTestCase):
    def test_it_reads_an_xls_file(self):
        # files/roster.xls was written once by xlwt (not a dependency): a title row, a
        # blank row, numbers and a phone stored as numbers, full-width digits, a padded
        # name, +86 with dashes, a short phone and a footer.
        check = check_roster(read_rows(FILES / "roster.xls"))
        rows = rows_of(check)
        self.assertEqual(list(rows), ["2024001", "2024002"])
        self.assertEqual(
            (rows["2024001"].name, rows["2024001"].mobile), ("欧阳娜娜", "13812345678")
        )
        self.assertEqual(rows["2024001"].political_status, Person.PoliticalStatus.LEAGUE_MEMBER)
        self.assertEqual((rows["2024002"].name, rows["2024002"].mobile), ("李雷", "13912345678"))
        self.assertEqual(rows["2024002"].political_status, Person.PoliticalStatus.PROBATIONARY)
        self.assertEqual(
            errors_of(check), ["row 6: mobile: “1381234” is not an 11-digit mobile number"]
        )

    def test_it_reads_csv_in_utf8_with_a_byte_order_mark(self):
        text = "学号,姓名,手机\r\n2024001,欧阳娜娜,+86 138-1234-5678\r\n"
        check = check_roster(read_rows(self.write("roster.csv", text.encode("utf-8-sig"))))
        self.assertEqual(rows_of(check)["2024001"].name, "欧阳娜娜")

    def test_it_reads_csv_in_gb18030(self):
        text = "学生花名册\r\n学号,姓名,政治面貌\r\n2024001,欧阳娜娜,预备党员\r\n"
        check = check_roster(read_rows(self.write("roster.csv", text.encode("gb18030"))))
        row = rows_of(check)["2024001"]
        self.assertEqual((row.name, row.political_status), ("欧阳娜娜", "probationary"))

    def test_it_rejects_an_unsupported_file_type(self):
        with self.assertRaisesMessage(SpreadsheetError, "unsupported file type .txt"):
            read_rows(self.write("roster.txt", "2024001,张三".encode()))

    def test_it_rejects_a_broken_spreadsheet(self):
        with self.assertRaisesMessage(SpreadsheetError, "not a readable .xlsx file"):
            read_rows(self.write("roster.xlsx", b"this is not a zip file"))


class ImportRosterCommandTestCase(RosterTestCase):
    def run_command(self, path, *args, warnings=False) -> list[str]:
        """The command's output lines; the warnings only if asked (tests_import_warnings
        is about those)."""
        out = io.StringIO()
        call_command("import_roster", str(path), *args, stdout=out)
        lines = out.getvalue().splitlines()
        return lines if warnings else [line for line in lines if not line.startswith("warning:")]

    def test_a_dry_run_prints_every_bad_row_and_the_counts_and_writes_nothing(self):
        path = self.write_xlsx(
            [
                ["学生名单"],
                ["学号", "姓名", "手机", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "13812345678", "会计2401", "T1001"],
                ["2024002", "李雷", "12345", "会计2401", ""],
                ["2024001", "韩梅梅", "", "会计2401", ""],
                ["2024003", "王芳", "", "会计2402", "T9999"],
            ]
        )
        before = snapshot()
        lines = self.run_command(path)
        self.assertEqual(
            lines,
            [
                "row 4: mobile: “12345” is not an 11-digit mobile number",
                "row 5: number: duplicate of row 3",
                "row 6: counsellor: no person with number T9999",
                "valid: 1, invalid: 3",
            ],
        )
        self.assertEqual(snapshot(), before)
        self.assertFalse(AdminClass.objects.filter(name="会计2401").exists())

    def test_commit_writes_all_valid_rows(self):
        path = self.write_xlsx([
            HEADER,
            ["2024001", "欧阳娜娜", "学生", "女", "+86 138 1234 5678", "团员", "信息学院", 2024.0,
             "会计学", "本科", "会计2401", "T1001", "C-101", "本科生党支部", "否", "在校"],
            ["2024002", "李雷", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["2024003", "bad", "", "", "123", "", "", "", "", "", "", "", "", "", "", ""],
        ])  # fmt: skip
        lines = self.run_command(path, "--commit")
        committed = (
            "committed: created 2, updated 0, unchanged 0, classes created 1, classes updated 0"
            f"; import id {RosterImport.objects.get().pk}"
        )
        self.assertEqual(lines[-2:], ["valid: 2, invalid: 1", committed])
        nana = Person.objects.select_related("admin_class", "dorm_room", "branch", "unit").get(
            number="2024001"
        )
        self.assertEqual(
            (
                nana.name,
                nana.kind,
                nana.gender,
                nana.mobile,
                nana.political_status,
                nana.unit,
                nana.grade,
            ),
            ("欧阳娜娜", "student", "F", "13812345678", "league_member", self.college, 2024),
        )
        self.assertEqual((nana.programme, nana.degree_level, str(nana.dorm_room), nana.branch),
                         ("会计学", "bachelor", "C-101", self.party_branch))  # fmt: skip
        self.assertEqual((nana.name_pinyin, nana.name_initials), ("ouyangnana", "oynn"))
        lei = Person.objects.get(number="2024002")
        self.assertEqual(
            (lei.kind, lei.political_status, lei.status), ("student", "masses", "present")
        )
        self.assertFalse(Person.objects.filter(number="2024003").exists())

    def test_commit_creates_a_class_named_in_the_file_with_its_counsellor(self):
        path = self.write_xlsx(
            [
                ["学号", "姓名", "年级", "专业", "培养层次", "学院", "班级", "辅导员工号"],
                ["2024001", "欧阳娜娜", "2024级", "会计学", "本科", "信息学院", "会计2401", ""],
                ["2024002", "李雷", "2024级", "会计学", "本科", "信息学院", "会计2401", "T1001"],
            ]
        )
        self.run_command(path, "--commit")
        admin_class = AdminClass.objects.get(name="会计2401")
        self.assertEqual(
            (admin_class.counsellor, admin_class.grade, admin_class.programme, admin_class.unit),
            (self.counsellor_a, 2024, "会计学", self.college),
        )
        self.assertEqual(admin_class.degree_level, "bachelor")
        self.assertEqual(
            set(admin_class.students.values_list("number", flat=True)), {"2024001", "2024002"}
        )

    def test_commit_works_for_a_class_whose_counsellor_is_a_teacher_listed_later(self):
        path = self.write_xlsx(
            [
                ["学号", "姓名", "类别", "班级", "辅导员"],
                ["2024001", "欧阳娜娜", "学生", "会计2401", "T2001"],
                ["T2001", "孙老师", "教师", "", ""],
            ]
        )
        lines = self.run_command(path, "--commit")
        self.assertEqual(lines[0], "valid: 2, invalid: 0")
        counsellor = AdminClass.objects.get(name="会计2401").counsellor
        assert counsellor is not None
        self.assertEqual((counsellor.name, counsellor.kind), ("孙老师", "teacher"))

    def test_commit_updates_people_by_number(self):
        path = self.write_xlsx([["学号", "姓名", "手机"], ["2020001", "张三", "138-0000-9999"]])
        lines = self.run_command(path, "--commit")
        self.assertIn("committed: created 0, updated 1, unchanged 0", lines[-1])
        self.student_a.refresh_from_db()
        self.assertEqual(self.student_a.mobile, "13800009999")

    def test_each_person_and_class_changed_is_recorded_with_the_fields_changed(self):
        path = self.write_xlsx(
            [
                ["学号", "姓名", "手机", "班级", "辅导员工号"],
                ["2020001", "张三", "138-0000-9999", "计科2001", "T1002"],
                ["2021001", "李四", "", "会计2401", ""],
                ["2024001", "欧阳娜娜", "", "会计2401", ""],
            ]
        )
        self.run_command(path, "--commit")
        roster_import = RosterImport.objects.get()
        changed = LogEntry.objects.filter(kind="people.person_changed").order_by("object_id")
        self.assertEqual(
            [(entry.object_id, entry.additional_data) for entry in changed],
            [
                (
                    self.student_a.pk,
                    {
                        "changes": {"mobile": ["139****5678", "138****9999"]},
                        "roster_import": roster_import.pk,
                    },
                ),
                (
                    self.student_b.pk,
                    {
                        "changes": {
                            "admin_class_id": [
                                self.class_b.pk,
                                AdminClass.objects.get(name="会计2401").pk,
                            ]
                        },
                        "roster_import": roster_import.pk,
                    },
                ),
            ],
        )
        [class_changed] = LogEntry.objects.filter(kind="people.class_changed")
        self.assertEqual(class_changed.object_id, self.class_a.pk)
        self.assertEqual(
            class_changed.additional_data["changes"],
            {"counsellor_id": [self.counsellor_a.pk, self.counsellor_b.pk]},
        )
        [class_created] = LogEntry.objects.filter(kind="people.class_created")
        self.assertEqual(class_created.object_repr, "会计2401")
        # The person created is the import's: no entry of their own.
        created = Person.objects.get(number="2024001")
        self.assertEqual(created.created_by_import, roster_import)
        self.assertFalse(LogEntry.objects.get_for_object(created).exists())
        committed = LogEntry.objects.get(kind="people.roster_committed")
        self.assertEqual(
            (committed.additional_data["created"], committed.additional_data["updated"]), (1, 2)
        )

    def test_a_changed_name_gets_new_pinyin(self):
        path = self.write_xlsx([["学号", "姓名"], ["2020001", "章珊"], ["2021001", "李四"]])
        self.run_command(path, "--commit")
        self.assertEqual(Person.objects.search("zs").get(), Person.objects.get(name="章珊"))
        self.assertEqual(Person.objects.get(number="2021001").name_pinyin, "lisi")

    def test_a_blank_cell_or_a_missing_column_leaves_the_stored_value_alone(self):
        path = self.write_xlsx(
            [["学号", "姓名", "手机", "政治面貌", "班级"], ["2021002", "王五", "", "", ""]]
        )
        lines = self.run_command(path, "--commit")
        self.assertIn("updated 0, unchanged 1", lines[-1])
        volunteer = Person.objects.get(number="2021002")
        self.assertEqual(
            (volunteer.political_status, volunteer.admin_class, volunteer.branch, volunteer.grade),
            ("party_member", self.class_b, self.party_branch, 2021),
        )

    def test_a_blank_counsellor_keeps_the_classs_counsellor(self):
        path = self.write_xlsx(
            [["学号", "姓名", "班级", "辅导员工号"], ["2024001", "欧阳娜娜", "计科2001", ""]]
        )
        self.run_command(path, "--commit")
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_a)

    def test_a_stated_counsellor_replaces_the_classs_counsellor(self):
        path = self.write_xlsx(
            [["学号", "姓名", "班级", "辅导员工号"], ["2020001", "张三", "计科2001", "T1002"]]
        )
        lines = self.run_command(path, "--commit")
        self.assertIn("classes updated 1", lines[-1])
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_b)

    def test_a_class_can_get_a_new_counsellor_stated_on_one_row_only(self):
        path = self.write_xlsx(
            [
                ["学号", "姓名", "班级", "辅导员工号"],
                ["2020001", "张三", "计科2001", "T1002"],
                ["2024001", "欧阳娜娜", "计科2001", ""],
            ]
        )
        lines = self.run_command(path, "--commit")
        self.assertEqual(lines[0], "valid: 2, invalid: 0")
        self.class_a.refresh_from_db()
        self.assertEqual(self.class_a.counsellor, self.counsellor_b)

    def test_reimporting_the_same_file_changes_nothing(self):
        path = self.write_xlsx([
            ["学生花名册"],
            HEADER,
            ["2024001", "欧阳娜娜", "学生", "女", 13812345678.0, "团员", "信息学院", 2024.0,
             "会计学", "本科", "会计2401", "T2001", "312", "本科生党支部", "是", "在校"],
            ["２０２４００２", "李　雷", "", "M", "+86-139-1234-5678", "预备党员", "", "2024级",
             "", "", "会计2401", "", "B - 312", "", "", ""],
            ["T2001", "孙老师", "教师", "男", "", "党员", "信息学院", "", "", "", "", "", "", "",
             "", "在职"],
            ["2024009", "坏行", "", "", "123", "", "", "", "", "", "", "", "", "", "", ""],
            [],
            ["制表人：学生处"],
        ])  # fmt: skip
        first = self.run_command(path, "--commit")
        self.assertIn("created 3, updated 0", first[-1])
        before = snapshot()
        classes = list(AdminClass.objects.values_list())
        rooms = list(DormRoom.objects.values_list())

        again = self.run_command(path, "--commit")
        self.assertEqual(
            again[-1],
            "committed: created 0, updated 0, unchanged 3, classes created 0, classes updated 0"
            f"; import id {RosterImport.objects.latest('pk').pk}",
        )
        self.assertEqual(snapshot(), before)
        self.assertEqual(list(AdminClass.objects.values_list()), classes)
        self.assertEqual(list(DormRoom.objects.values_list()), rooms)

    def test_it_fails_cleanly_on_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "no such file"):
            self.run_command(self.write("x.xlsx", b"").parent / "missing.xlsx")

    def test_it_fails_cleanly_on_a_file_without_a_header(self):
        with self.assertRaisesMessage(CommandError, "no header row"):
            self.run_command(self.write_xlsx([["张三", "李四"]]))
