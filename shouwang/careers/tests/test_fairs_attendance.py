"""A room's attendance from the meeting platform's export: the graduates are
found by the number in their nickname, the rows of nobody are shown, and each
graduate counts once in the room whatever the files and the room's code say."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook

from shouwang.careers import actions
from shouwang.careers.models import FairAttendanceImport, FairEmployer, Participation

from .base_fairs import BEFORE, DURING, FairsTestCase

HEADER = ["序号", "用户昵称", "会中昵称", "入会时间", "退会时间", "参会时长", "入会身份"]
ROWS = [
    [1, "2020001张三", "张三", "2024-04-12 09:05:00", "2024-04-12 09:30:00", "25分钟", "手机"],
    # 张三 again after a dropped connection: one person, minutes added up.
    [2, "2020001张三", "张三", "2024-04-12 09:33:00", "2024-04-12 09:50:00", "17分钟", "手机"],
    [3, "王六-2021009", "王六", "2024-04-12 09:10:00", "2024-04-12 10:10:00", "1小时", "电脑"],
    # The employer's own staff, a phone number, a student who is not graduating.
    [4, "HR-李经理", "李经理", "2024-04-12 09:00:00", "2024-04-12 12:00:00", "3小时", "电脑"],
    [5, "13912345678", "", "2024-04-12 09:20:00", "2024-04-12 09:40:00", "20分钟", "手机"],
    [6, "2021001李四", "李四", "2024-04-12 09:20:00", "2024-04-12 09:40:00", "20分钟", "手机"],
]


def tencent_export(rows: list[list], name: str = "参会成员明细.xlsx") -> SimpleUploadedFile:
    """A 腾讯会议 参会成员明细 as it downloads: the meeting's lines, then the table."""
    book = Workbook()
    sheet = book.active
    sheet.append(["会议主题：太原软件科技有限公司 宣讲与面试间"])
    sheet.append(["会议时间：2024-04-12 09:00 - 12:00"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


class AttendanceImportTests(FairsTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.office)

    def upload(self, room: FairEmployer, upload: SimpleUploadedFile) -> FairAttendanceImport:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("careers:fair_attendance_upload", args=[room.pk]), {"file": upload}
            )
        item = FairAttendanceImport.objects.latest("pk")
        self.assertRedirects(response, reverse("careers:fair_attendance_import", args=[item.pk]))
        item.refresh_from_db()
        return item

    def commit(self, item: FairAttendanceImport):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("careers:fair_attendance_commit", args=[item.pk]))
        item.refresh_from_db()
        return self.client.get(response["Location"])

    def test_the_preview_finds_graduates_by_the_number_in_their_nickname(self):
        item = self.upload(self.room_a, tencent_export(ROWS))
        self.assertEqual(item.status, FairAttendanceImport.Status.CHECKED)
        page = self.client.get(reverse("careers:fair_attendance_import", args=[item.pk]))
        found = page.context["found"]
        self.assertEqual(
            [(person.name, minutes) for person, minutes in found], [("张三", 42), ("王六", 60)]
        )
        unmatched = [row["name"] for row in item.summary["unmatched"]]
        self.assertEqual(unmatched, ["HR-李经理", "13912345678", "2021001李四"])
        self.assertContains(page, "HR-李经理")
        # Nothing counts before the runner commits.
        self.assertFalse(Participation.objects.exists())

    def test_committing_counts_each_graduate_found_once_in_the_room(self):
        item = self.upload(self.room_a, tencent_export(ROWS))
        page = self.commit(item)
        self.assertEqual(item.status, FairAttendanceImport.Status.COMMITTED)
        self.assertContains(page, 'data-testid="committed"')
        rows = Participation.objects.filter(room=self.room_a).order_by("person__number")
        self.assertEqual(
            [(row.person.name, row.source, row.minutes) for row in rows],
            [("张三", "attendance", 42), ("王六", "attendance", 60)],
        )

    def test_a_second_file_of_the_room_counts_nobody_twice(self):
        self.commit(self.upload(self.room_a, tencent_export(ROWS)))
        again = self.upload(self.room_a, tencent_export(ROWS[:3], "参会成员明细(1).xlsx"))
        self.commit(again)
        self.assertEqual(again.summary["new"], 0)
        self.assertEqual(Participation.objects.filter(room=self.room_a).count(), 2)

    def test_a_graduate_counted_by_the_rooms_code_and_in_the_file_counts_once(self):
        with freeze_time(BEFORE):
            actions.register(self.fair, self.student_a, acting_user=self.student)
        with freeze_time(DURING):
            actions.enter_room(self.fair, self.student_a, self.room_a.room_code)
        item = self.upload(self.room_a, tencent_export(ROWS))
        self.commit(item)
        self.assertEqual(item.summary["new"], 1)
        mine = Participation.objects.filter(room=self.room_a, person=self.student_a)
        self.assertEqual(mine.count(), 1)
        self.assertEqual(mine.get().source, Participation.Source.ROOM_CODE)
        self.assertEqual(Participation.objects.filter(room=self.room_a).count(), 2)

    def test_the_same_graduate_in_two_rooms_is_two_participations(self):
        self.commit(self.upload(self.room_a, tencent_export(ROWS)))
        self.commit(self.upload(self.room_b, tencent_export(ROWS[:1])))
        self.assertEqual(Participation.objects.filter(person=self.student_a).count(), 2)

    def test_committing_twice_commits_once(self):
        item = self.upload(self.room_a, tencent_export(ROWS))
        self.commit(item)
        page = self.commit(item)
        self.assertContains(page, "This import is not waiting to be committed.")
        self.assertEqual(Participation.objects.count(), 2)

    def test_a_file_that_is_no_attendance_export_fails_with_the_reason(self):
        bad = SimpleUploadedFile("名单.csv", "学校,城市\n山西财经大学,太原\n".encode())
        item = self.upload(self.room_a, bad)
        self.assertEqual(item.status, FairAttendanceImport.Status.FAILED)
        page = self.client.get(reverse("careers:fair_attendance_import", args=[item.pk]))
        self.assertContains(page, "This is not an attendance export")
        self.assertFalse(Participation.objects.exists())

    def test_a_file_that_is_no_spreadsheet_is_refused_before_upload(self):
        response = self.client.post(
            reverse("careers:fair_attendance_upload", args=[self.room_a.pk]),
            {"file": SimpleUploadedFile("note.txt", b"hello")},
        )
        self.assertContains(response, "Upload an .xlsx, .xls or .csv file.")
        self.assertFalse(FairAttendanceImport.objects.exists())

    def test_the_office_sees_each_rooms_participations_by_source(self):
        with freeze_time(BEFORE):
            actions.register(self.fair, self.graduate_b_person, acting_user=self.graduate_b_user)
        with freeze_time(DURING):
            actions.enter_room(self.fair, self.graduate_b_person, self.room_b.room_code)
        self.commit(self.upload(self.room_a, tencent_export(ROWS)))
        page = self.client.get(self.fair.get_absolute_url())
        counts = {count.room: count for count in page.context["room_counts"]}
        self.assertEqual(
            (counts[self.room_a].participations, counts[self.room_a].by_attendance), (2, 2)
        )
        self.assertEqual((counts[self.room_b].participations, counts[self.room_b].by_code), (1, 1))
        self.assertEqual((page.context["participations"], page.context["participants"]), (3, 2))
