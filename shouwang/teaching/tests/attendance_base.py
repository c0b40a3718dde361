"""A lesson of 数据库原理 to take attendance of, a teacher who logs in, and
uploaded files kept in a temporary media folder."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from shouwang.accounts.models import User
from shouwang.core.tests.test_attendance_files import TENCENT, xlsx
from shouwang.people.models import Person
from shouwang.teaching.models import AttendanceImport, Lesson

from .base import TeachingTestCase

# Tuesday of week 7, online.
LESSON_DAY = dt.date(2022, 4, 12)


class AttendanceTestCase(TeachingTestCase):
    lesson: Lesson
    teacher_person: Person
    teacher_user: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.teacher_user = cls.teacher
        cls.lesson = cls.database_class.lessons.get(date=LESSON_DAY)

    def setUp(self):
        super().setUp()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def upload(self, rows=TENCENT, name="参会成员明细.xlsx", data=None):
        upload = SimpleUploadedFile(name, data if data is not None else xlsx(rows))
        return self.client.post(
            f"/teaching/lessons/{self.lesson.pk}/attendance/upload/", {"file": upload}
        )

    def last_import(self) -> AttendanceImport:
        return AttendanceImport.objects.latest("pk")
