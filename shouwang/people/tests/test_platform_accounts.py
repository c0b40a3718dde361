"""People's WeCom and DingTalk accounts: the roster's optional columns, and the
accounts sheet from upload to commit."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.people.models import Person, PlatformAccountImport, RosterImport

from .roster_files import xlsx_bytes, xlsx_cells
from .test_roster_views import RosterViewTestCase


class RosterAccountsTestCase(RosterViewTestCase):
    def test_the_roster_takes_the_accounts_as_optional_columns(self):
        self.login(self.admin)
        self.upload(
            [
                ["学号", "姓名", "企业微信UserID", "钉钉账号"],
                ["2020001", "张三", "zhangsan", "ding-zs"],
                ["2021001", "李四", "", "ding-ls"],
            ]
        )
        self.commit(RosterImport.objects.get())
        self.assertEqual(
            list(Person.objects.filter(number__startswith="202").values_list(
                "number", "wecom_userid", "dingtalk_userid"
            )),
            [("2020001", "zhangsan", "ding-zs"), ("2021001", "", "ding-ls"), ("2021002", "", "")],
        )  # fmt: skip

    def test_a_blank_cell_leaves_the_stored_account_alone(self):
        self.student_a.wecom_userid = "zhangsan"
        self.student_a.save(update_fields=["wecom_userid"])
        self.login(self.admin)
        self.upload([["学号", "姓名", "wecom_userid"], ["2020001", "张三", ""]])
        self.commit(RosterImport.objects.get())
        self.student_a.refresh_from_db()
        self.assertEqual(self.student_a.wecom_userid, "zhangsan")

    def test_the_roster_refuses_an_account_another_person_holds(self):
        self.student_a.wecom_userid = "zhangsan"
        self.student_a.save(update_fields=["wecom_userid"])
        self.login(self.admin)
        self.upload([["学号", "姓名", "企业微信账号"], ["2021001", "李四", "zhangsan"]])
        item = RosterImport.objects.get()
        self.assertEqual(
            item.errors,
            [
                {
                    "row": 2,
                    "field": "wecom_userid",
                    "reason": "already the WeCom account of 张三 (2020001)",
                }
            ],
        )

    def test_the_export_carries_the_accounts_back_in(self):
        self.student_a.dingtalk_userid = "ding-zs"
        self.student_a.save(update_fields=["dingtalk_userid"])
        self.login(self.admin)
        cells = xlsx_cells(self.client.get(reverse("people:roster_export")).content)
        header = cells[0]
        row = next(row for row in cells if row[0] == "2020001")
        self.assertEqual(row[header.index("钉钉账号")], "ding-zs")


class AccountSheetTestCase(RosterViewTestCase):
    url = reverse("people:platform_account_import")

    def upload_sheet(self, rows, name="accounts.xlsx"):
        upload = SimpleUploadedFile(name, xlsx_bytes(rows))
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {"file": upload})

    def commit_sheet(self, item):
        url = reverse("people:platform_account_import_commit", args=[item.pk])
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url)

    def test_it_previews_each_bad_row_with_its_reason(self):
        self.volunteer_person.dingtalk_userid = "ding-ww"
        self.volunteer_person.save(update_fields=["dingtalk_userid"])
        self.login(self.admin)
        response = self.upload_sheet(
            [
                ["企业微信/钉钉账号对照表"],
                ["工号", "姓名", "企业微信账号", "钉钉账号"],
                ["2020001", "张三", "zhangsan", ""],
                ["9999999", "查无此人", "nobody", ""],
                ["2021001", "李四", "zhangsan", ""],
                ["T1001", "赵璞", "", "ding-ww"],
                ["T1002", "钱老师", "qian laoshi", ""],
                ["2020001", "张三", "", "ding-zs"],
            ]
        )
        item = PlatformAccountImport.objects.get()
        self.assertRedirects(response, reverse(
            "people:platform_account_import_detail", args=[item.pk]
        ))  # fmt: skip
        self.assertEqual((item.status, item.valid_rows, item.invalid_rows), ("checked", 1, 5))
        self.assertEqual(
            [(error["row"], error["field"], error["reason"]) for error in item.errors],
            [
                (4, "number", "no person with number 9999999"),
                (5, "wecom_userid", "the same WeCom account as row 3"),
                (6, "dingtalk_userid", "already the DingTalk account of 王五 (2021002)"),
                (7, "wecom_userid", "“qian laoshi” is not a WeCom account"),
                (8, "number", "duplicate of row 3"),
            ],
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "no person with number 9999999")
        self.assertContains(page, "Commit 1 valid row")
        self.assertFalse(Person.objects.filter(wecom_userid="zhangsan").exists())

    def test_committing_sets_the_accounts_and_a_second_import_changes_nothing(self):
        self.student_b.wecom_userid = "lisi"
        self.student_b.save(update_fields=["wecom_userid"])
        self.login(self.admin)
        rows = [
            ["学号/工号", "企业微信账号", "钉钉账号"],
            ["2020001", "zhangsan", "ding-zs"],
            ["2021001", "", "ding-ls"],
            ["T1001", "zhaopu", ""],
        ]
        self.upload_sheet(rows)
        first = PlatformAccountImport.objects.get()
        self.commit_sheet(first)
        first.refresh_from_db()
        self.assertEqual(first.status, "committed")
        self.assertEqual(first.summary, {"updated": 3, "unchanged": 0})
        self.assertEqual(
            sorted(Person.objects.exclude(wecom_userid="", dingtalk_userid="").values_list(
                "number", "wecom_userid", "dingtalk_userid"
            )),
            [("2020001", "zhangsan", "ding-zs"), ("2021001", "lisi", "ding-ls"),
             ("T1001", "zhaopu", "")],
        )  # fmt: skip
        changed = LogEntry.objects.filter(kind="people.person_changed")
        self.assertEqual(changed.count(), 3)
        self.assertEqual(
            changed.get(object_pk=str(self.student_b.pk)).additional_data["changes"],
            {"dingtalk_userid": ["", "ding-ls"]},
        )
        self.assertTrue(LogEntry.objects.filter(kind="people.platform_accounts_committed").exists())

        self.upload_sheet(rows, name="again.xlsx")
        again = PlatformAccountImport.objects.get(filename="again.xlsx")
        self.assertEqual((again.valid_rows, again.invalid_rows), (3, 0))
        response = self.commit_sheet(again)
        again.refresh_from_db()
        self.assertEqual(again.summary, {"updated": 0, "unchanged": 3})
        self.assertEqual(changed.count(), 3)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Committed: 0 people's accounts set, 3 unchanged.")

    def test_a_sheet_without_an_account_column_is_refused(self):
        self.login(self.admin)
        self.upload_sheet([["学号", "姓名"], ["2020001", "张三"]])
        item = PlatformAccountImport.objects.get()
        self.assertEqual(item.status, "failed")
        self.assertIn("an account column", item.failure)

    def test_it_offers_a_template_in_the_format_it_reads(self):
        self.login(self.admin)
        response = self.client.get(reverse("people:platform_account_template"))
        cells = xlsx_cells(response.content)
        self.assertEqual(cells[0], ["学号/工号", "姓名", "企业微信账号", "钉钉账号"])

    def test_only_an_admin_sets_accounts(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.upload_sheet([["学号", "钉钉账号"]]).status_code, 403)
        self.assertFalse(PlatformAccountImport.objects.exists())

    def test_the_database_keeps_an_account_to_one_person(self):
        self.student_a.wecom_userid = "zhangsan"
        self.student_a.save(update_fields=["wecom_userid"])
        self.student_b.wecom_userid = "zhangsan"
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.student_b.save(update_fields=["wecom_userid"])
