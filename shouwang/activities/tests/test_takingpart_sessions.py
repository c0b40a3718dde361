"""A forum's online sessions and their attendance: the meeting platform's
export checked as a job, previewed with the rows that found nobody,
committed as a job; once per student per session, and again changes nothing."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.activities.models import Activity, Attendance, AttendanceImport, Session
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.people.models import Person

from .takingpart import TakingPartTestCase, meeting_export

ROWS = [
    [1, "2020001张三", "19:00:10", "19:50:00", "50分钟"],
    # A dropped connection: the same student again.
    [2, "2020001张三", "19:55:00", "20:29:00", "34分钟"],
    [3, "李四-2021001", "19:10:00", "19:40:00", "30分钟"],
    [4, "iPhone", "19:05:00", "19:40:00", "35分钟"],
]


class SessionFormTests(TakingPartTestCase):
    def test_an_organiser_adds_a_session_with_its_time_platform_link_and_speaker(self):
        forum = self.make_activity(title="青年先锋论坛", kind=Activity.Kind.FORUM)
        self.login(self.organiser)
        day = clock.today() + dt.timedelta(days=2)
        response = self.client.post(
            reverse("activities:session_form", args=[forum.pk]),
            {
                "title": "优秀学子经验交流会",
                "starts_at": f"{day.isoformat()}T19:00",
                "ends_at": f"{day.isoformat()}T20:30",
                "platform": "腾讯会议",
                "link": "https://meeting.tencent.com/dm/abc",
                "speaker": "2018级 王同学",
            },
        )
        session = Session.objects.get(activity=forum)
        self.assertRedirects(response, reverse("activities:session_detail", args=[session.pk]))
        self.assertEqual((session.minutes, session.speaker), (90, "2018级 王同学"))
        self.assertEqual(session.starts_at, clock.at(day, dt.time(19, 0)))
        self.assertTrue(LogEntry.objects.filter(kind="activities.session_saved").exists())
        self.login(self.student)
        self.assertContains(
            self.client.get(forum.get_absolute_url()), "https://meeting.tencent.com/dm/abc"
        )

    def test_a_session_that_ends_before_it_starts_is_refused(self):
        self.login(self.organiser)
        day = clock.today().isoformat()
        page = self.client.post(
            reverse("activities:session_form", args=[self.contest.pk]),
            {"title": "讲座", "starts_at": f"{day}T20:00", "ends_at": f"{day}T19:00"},
        )
        self.assertContains(page, "The session ends before it starts.")
        self.assertFalse(Session.objects.exists())


class AttendanceImportTests(TakingPartTestCase):
    forum: Activity
    session: Session

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.forum = cls.make_activity(title="青年先锋论坛", kind=Activity.Kind.FORUM)
        cls.session = cls.make_session(cls.forum, minutes=90)

    def upload(self, rows=ROWS, user=None):
        self.login(user or self.organiser)
        upload = SimpleUploadedFile("参会成员明细.xlsx", meeting_export(rows))
        # The check runs as a job once the request's transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("activities:attendance_upload", args=[self.session.pk]), {"file": upload}
            )

    def commit(self, item):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("activities:attendance_import_commit", args=[item.pk]))

    def test_the_file_is_checked_and_previewed_before_anything_is_written(self):
        response = self.upload()
        item = AttendanceImport.objects.get()
        self.assertRedirects(response, reverse("activities:attendance_import", args=[item.pk]))
        self.assertEqual(item.status, AttendanceImport.Status.CHECKED)
        page = self.client.get(reverse("activities:attendance_import", args=[item.pk]))
        found = {row.student.number: (row.minutes, row.counts) for row in page.context["found"]}
        # 张三's two stays add up to 84 of 90 minutes; 李四's 30 are under half.
        self.assertEqual(found, {"2020001": (84, True), "2021001": (30, False)})
        self.assertEqual([row["name"] for row in page.context["unmatched"]], ["iPhone"])
        self.assertContains(page, "Rows no student was found for")
        self.assertFalse(Attendance.objects.exists())

    def test_committing_records_each_student_once_and_again_changes_nothing(self):
        self.upload()
        first = AttendanceImport.objects.get()
        self.commit(first)
        first.refresh_from_db()
        self.assertEqual(first.status, AttendanceImport.Status.COMMITTED)
        self.assertEqual(
            dict(Attendance.objects.values_list("person__number", "minutes")),
            {"2020001": 84, "2021001": 30},
        )
        self.assertEqual((first.summary["created"], first.summary["unchanged"]), (2, 0))
        # The same file again, then a second export where 李四 stayed longer.
        self.upload()
        self.commit(AttendanceImport.objects.latest("pk"))
        self.upload([[1, "李四-2021001", "19:00:00", "20:20:00", "80分钟"]])
        last = AttendanceImport.objects.latest("pk")
        self.commit(last)
        last.refresh_from_db()
        self.assertEqual(last.summary["updated"], 1)
        self.assertEqual(
            dict(Attendance.objects.values_list("person__number", "minutes")),
            {"2020001": 84, "2021001": 80},
        )
        self.assertEqual(LogEntry.objects.filter(kind="activities.attendance_imported").count(), 3)

    def test_a_file_committed_once_is_not_committed_twice(self):
        self.upload()
        item = AttendanceImport.objects.get()
        self.commit(item)
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.post(
                reverse("activities:attendance_import_commit", args=[item.pk]), follow=True
            )
        self.assertContains(page, "This import is not waiting to be committed.")

    def test_only_the_students_the_activity_is_open_to_are_expected(self):
        self.forum.audience = Activity.Audience.CLASSES
        self.forum.save(update_fields=["audience"])
        self.forum.classes.set([self.class_a])
        self.upload()
        item = AttendanceImport.objects.get()
        self.assertEqual(list(item.summary["matched"]), [str(self.student_a.pk)])
        self.assertEqual(
            [row["name"] for row in item.summary["unmatched"]], ["李四-2021001", "iPhone"]
        )

    def test_a_file_that_is_no_export_fails_with_its_reason(self):
        self.login(self.organiser)
        upload = SimpleUploadedFile("名单.xlsx", meeting_export([])[:100])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("activities:attendance_upload", args=[self.session.pk]), {"file": upload}
            )
        item = AttendanceImport.objects.latest("pk")
        self.assertEqual(item.status, AttendanceImport.Status.FAILED)
        self.assertContains(
            self.client.get(reverse("activities:attendance_import", args=[item.pk])),
            "The file could not be processed",
        )

    def test_a_commit_by_someone_who_no_longer_runs_it_fails(self):
        self.upload()
        item = AttendanceImport.objects.get()
        self.forum.organisers.clear()
        self.login(self.leader)
        self.commit(item)
        item.refresh_from_db()
        self.assertEqual(item.status, AttendanceImport.Status.FAILED)
        self.assertIn("no longer runs", item.failure)
        self.assertFalse(Attendance.objects.exists())

    def test_the_session_page_counts_who_stayed_half_of_it(self):
        self.session.attendance.create(person=self.student_a, minutes=45)
        self.session.attendance.create(person=self.student_b, minutes=44)
        self.login(self.organiser)
        page = self.client.get(reverse("activities:session_detail", args=[self.session.pk]))
        self.assertContains(page, "2 students attended · 1 for at least half the session")

    def test_the_files_are_their_runners_only(self):
        self.upload()
        item = AttendanceImport.objects.get()
        for user in (self.teacher, self.student, self.counsellor_a_user):
            self.login(user)
            url = reverse("activities:attendance_import", args=[item.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(Person.objects.filter(activity_attendance__isnull=False).count(), 0)
