"""The web roster import (upload, preview, commit) and export, through HTTP."""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.core.jobs import MAX_ATTEMPTS, Progress
from shouwang.core.models import JOB_LEASE, BackgroundJob
from shouwang.core.tasks import recover_abandoned_jobs
from shouwang.people.models import AdminClass, Person, RosterImport
from shouwang.people.tasks import check_roster_import, commit_roster_import
from shouwang.test import make_person, make_user

from .roster_files import RosterTestCase, snapshot, xlsx_bytes, xlsx_cells

GOOD_AND_BAD = [
    ["2024级新生名单"],
    ["学号", "姓名", "手机号码", "班级", "辅导员工号"],
    ["2024001", "欧阳娜娜", "+86 138-1234-5678", "会计2401", "T1001"],
    ["2024002", "李雷", "12345", "会计2401", ""],
    ["2024001", "韩梅梅", "", "会计2401", ""],
]


class RosterViewTestCase(RosterTestCase):
    def setUp(self):
        super().setUp()
        media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=self.tmp))
        media.enable()
        self.addCleanup(media.disable)
        # Pages in English: the source strings.
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def upload(self, rows=GOOD_AND_BAD, name="roster.xlsx", data=None):
        upload = SimpleUploadedFile(name, data if data is not None else xlsx_bytes(rows))
        # The check is queued on commit; tests run tasks inline.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("people:roster_import"), {"file": upload})

    def detail_url(self, item):
        return reverse("people:roster_import_detail", args=[item.pk])

    def commit_url(self, item):
        return reverse("people:roster_import_commit", args=[item.pk])

    def commit(self, item):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.commit_url(item))


class RosterImportTestCase(RosterViewTestCase):
    url = reverse("people:roster_import")

    def test_it_shows_the_upload_form_and_recent_imports(self):
        RosterImport.objects.create(filename="earlier.xlsx", uploaded_by=self.leader)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, 'type="file"')
        self.assertContains(response, "earlier.xlsx")

    def test_it_checks_an_upload_and_shows_the_preview(self):
        self.login(self.leader)
        response = self.upload()
        item = RosterImport.objects.get()
        self.assertRedirects(response, self.detail_url(item))
        self.assertEqual(
            (item.status, item.uploaded_by, item.filename), ("checked", self.leader, "roster.xlsx")
        )
        self.assertEqual((item.total_rows, item.valid_rows, item.invalid_rows), (3, 1, 2))

        response = self.client.get(self.detail_url(item))
        self.assertContains(
            response, '<div class="stat text-success" data-testid="valid">1</div>', html=True
        )
        self.assertContains(
            response, '<div class="stat text-danger" data-testid="invalid">2</div>', html=True
        )
        self.assertContains(
            response,
            "<td>4</td><td>mobile phone</td><td>“12345” is not an 11-digit mobile number</td>",
            html=True,
        )
        self.assertContains(
            response, "<td>5</td><td>number</td><td>duplicate of row 3</td>", html=True
        )
        self.assertContains(response, "Commit 1 valid row")
        # Nothing is written before the commit.
        self.assertFalse(Person.objects.filter(number="2024001").exists())

    def test_an_admin_can_import_too(self):
        self.login(self.admin)
        self.upload()
        self.assertEqual(RosterImport.objects.get().status, "checked")

    def test_it_reads_xls_and_csv_uploads(self):
        self.login(self.leader)
        self.upload(name="名单.csv", data="学号,姓名\r\n2024001,欧阳娜娜\r\n".encode("gb18030"))
        self.assertEqual(RosterImport.objects.get().valid_rows, 1)

    def test_it_rejects_a_file_with_a_bad_extension(self):
        self.login(self.leader)
        response = self.upload(name="roster.numbers")
        self.assertContains(response, "Upload an .xlsx, .xls or .csv file.")
        self.assertFalse(RosterImport.objects.exists())

    @override_settings(ROSTER_MAX_UPLOAD_BYTES=1024)
    def test_it_rejects_a_file_over_the_size_limit(self):
        self.login(self.leader)
        response = self.upload(name="roster.csv", data=b"x" * 1025)
        self.assertContains(response, "The file is larger than 1.0")
        self.assertFalse(RosterImport.objects.exists())

    def test_it_says_why_a_file_cannot_be_read(self):
        self.login(self.leader)
        self.upload(rows=[["张三", "李四"]])
        item = RosterImport.objects.get()
        self.assertEqual(item.status, "failed")
        response = self.client.get(self.detail_url(item))
        self.assertContains(response, "no header row with a number column")

    def test_a_student_gets_403(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.upload().status_code, 403)
        self.assertFalse(RosterImport.objects.exists())

    def test_a_counsellor_gets_403(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)


class RosterImportDetailTestCase(RosterViewTestCase):
    def setUp(self):
        super().setUp()
        self.item = RosterImport.objects.create(
            filename="big.xlsx", uploaded_by=self.leader, status=RosterImport.Status.CHECKING
        )
        self.job = BackgroundJob.objects.create(
            kind=check_roster_import.module_path, subject=self.item, started_by=self.leader,
            state=BackgroundJob.State.RUNNING, total=30000, done=12000,
            lease_expires_at=timezone.now() + JOB_LEASE,
        )  # fmt: skip

    def test_it_shows_progress_while_checking(self):
        self.login(self.leader)
        response = self.client.get(self.detail_url(self.item))
        self.assertContains(response, "12000 / 30000")
        self.assertContains(response, 'hx-trigger="every 1s"')

    def test_htmx_polls_get_the_status_partial_only(self):
        self.login(self.leader)
        response = self.client.get(self.detail_url(self.item), headers={"HX-Request": "true"})
        self.assertContains(response, '<progress class="w-100"')
        self.assertNotContains(response, "<html")

    def test_it_stops_polling_once_checked(self):
        RosterImport.objects.filter(pk=self.item.pk).update(status=RosterImport.Status.CHECKED)
        self.login(self.leader)
        self.assertNotContains(self.client.get(self.detail_url(self.item)), "hx-trigger")

    def test_another_leader_gets_404(self):
        other = make_user(make_person("T0002", "李书记", Person.Kind.TEACHER))
        other.grant(Role.LEADER)
        self.login(other)
        self.assertEqual(self.client.get(self.detail_url(self.item)).status_code, 404)

    def test_an_admin_sees_every_import(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(self.detail_url(self.item)).status_code, 200)

    def test_a_student_gets_403(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.detail_url(self.item)).status_code, 403)


class RosterImportCommitTestCase(RosterViewTestCase):
    def test_it_commits_the_valid_rows(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        response = self.commit(item)
        self.assertRedirects(response, self.detail_url(item))

        item.refresh_from_db()
        self.assertEqual(item.status, "committed")
        self.assertEqual(
            item.summary,
            {
                "created": 1,
                "updated": 0,
                "unchanged": 0,
                "classes_created": 1,
                "classes_updated": 0,
                "units_created": 0,
            },
        )
        nana = Person.objects.get(number="2024001")
        self.assertEqual((nana.name, nana.mobile), ("欧阳娜娜", "13812345678"))
        self.assertEqual(str(nana.admin_class), "会计2401")
        self.assertEqual(AdminClass.objects.get(name="会计2401").counsellor, self.counsellor_a)
        self.assertFalse(Person.objects.filter(number="2024002").exists())
        self.assertContains(
            self.client.get(self.detail_url(item)), "Committed: 1 created, 0 updated"
        )

    def test_a_second_commit_does_nothing(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        self.commit(item)
        Person.objects.filter(number="2024001").update(mobile="13900000000")  # edited since
        item.refresh_from_db()
        committed_at = item.committed_at

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.commit_url(item), follow=True)
        self.assertContains(response, "This import is not waiting to be committed.")
        self.assertEqual(Person.objects.get(number="2024001").mobile, "13900000000")
        item.refresh_from_db()
        self.assertEqual((item.status, item.committed_at), ("committed", committed_at))

    def test_an_import_still_being_checked_cannot_be_committed(self):
        item = RosterImport.objects.create(filename="r.xlsx", uploaded_by=self.leader)
        self.login(self.leader)
        self.commit(item)
        item.refresh_from_db()
        self.assertEqual(item.status, "pending")

    def test_another_leader_gets_404(self):
        item = RosterImport.objects.create(
            filename="r.xlsx", uploaded_by=self.admin, status="checked"
        )
        self.login(self.leader)
        self.assertEqual(self.commit(item).status_code, 404)

    def test_a_counsellor_gets_403(self):
        item = RosterImport.objects.create(
            filename="r.xlsx", uploaded_by=self.leader, status="checked"
        )
        self.login(self.counsellor_a_user)
        self.assertEqual(self.commit(item).status_code, 403)
        item.refresh_from_db()
        self.assertEqual(item.status, "checked")

    def test_get_is_not_allowed(self):
        item = RosterImport.objects.create(
            filename="r.xlsx", uploaded_by=self.leader, status="checked"
        )
        self.login(self.leader)
        self.assertEqual(self.client.get(self.commit_url(item)).status_code, 405)


class RosterExportTestCase(RosterViewTestCase):
    url = reverse("people:roster_export")

    def test_it_downloads_an_xlsx_that_imports_back_with_no_change(self):
        Person.objects.filter(number="2020001").update(name="=1+1", programme="+86 138")
        before = snapshot()
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertRegex(
            response["Content-Disposition"], r'^attachment; filename="roster-\d{8}\.xlsx"$'
        )
        cells = {row[0]: row for row in xlsx_cells(response.content)}
        self.assertEqual(len(cells), 1 + Person.objects.count())
        self.assertEqual((cells["2020001"][1], cells["2020001"][8]), ("'=1+1", "'+86 138"))

        self.upload(name="export.xlsx", data=response.content)
        item = RosterImport.objects.get()
        self.assertEqual((item.valid_rows, item.invalid_rows), (len(before), 0))
        self.commit(item)
        item.refresh_from_db()
        self.assertEqual((item.summary["created"], item.summary["updated"]), (0, 0))
        self.assertEqual(snapshot(), before)

    def test_it_exports_what_the_filters_select(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"admin_class": self.class_b.pk})
        numbers = [row[0] for row in xlsx_cells(response.content)[1:]]
        self.assertEqual(numbers, ["2021001", "2021002"])

    def test_a_student_gets_403(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_counsellor_gets_403(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)


class RosterImportJobsTestCase(RosterViewTestCase):
    """The check and the commit run as background jobs that report on the page."""

    def test_the_check_and_the_commit_each_report_on_a_job(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        self.commit(item)
        check, commit = BackgroundJob.objects.of(item).order_by("pk")
        self.assertEqual((check.kind, check.state), (check_roster_import.module_path, "done"))
        self.assertEqual((check.done, check.total), (3, 3))
        self.assertEqual((commit.kind, commit.state), (commit_roster_import.module_path, "done"))
        self.assertEqual(commit.started_by, self.leader)
        self.assertEqual(item.job, commit)

    def test_a_commit_under_way_shows_its_progress_and_its_jobs_page(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(self.commit_url(item))
        job = BackgroundJob.objects.of(item).latest("pk")
        BackgroundJob.claim(job.pk)  # a worker took it up
        job.refresh_from_db()
        Progress(job)(3, 3)
        page = self.client.get(self.detail_url(item))
        self.assertContains(page, "Progress: 3 / 3")
        self.assertContains(page, reverse("core:job_detail", args=[job.pk]))
        job_page = self.client.get(reverse("core:job_detail", args=[job.pk]))
        self.assertContains(job_page, "Committing a roster file")
        self.assertContains(
            job_page, f'<a href="{self.detail_url(item)}">roster.xlsx</a>', html=True
        )

    def commit_taken_up_then_dead(self, item: RosterImport, clock) -> BackgroundJob:
        """Commit pressed; a worker took the job up and died before it ended."""
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(self.commit_url(item))
        job = BackgroundJob.claim(BackgroundJob.objects.of(item).latest("pk").pk)
        assert job is not None
        Progress(job)(3, 3)  # its check was done: "committing 100%"
        clock.tick(JOB_LEASE + timedelta(seconds=1))
        return job

    def test_a_commit_whose_worker_died_is_resumed_and_commits_each_person_once(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        with freeze_time(timezone.now()) as clock:
            job = self.commit_taken_up_then_dead(item, clock)
            # Before the recovery runs, the page already says so and stops polling.
            page = self.client.get(self.detail_url(item))
            self.assertContains(page, "stopped without finishing")
            self.assertNotContains(page, "hx-trigger")

            with self.captureOnCommitCallbacks(execute=True):
                outcome = recover_abandoned_jobs.call()
        self.assertEqual(outcome, {"resumed": 1, "failed": 0})
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), ("done", 2))
        item.refresh_from_db()
        self.assertEqual(item.status, "committed")
        self.assertEqual(Person.objects.filter(number="2024001").count(), 1)
        self.assertContains(self.client.get(self.detail_url(item)), "1 created")

    def test_a_commit_that_keeps_dying_can_be_pressed_again(self):
        self.login(self.leader)
        self.upload()
        item = RosterImport.objects.get()
        with freeze_time(timezone.now()) as clock:
            job = self.commit_taken_up_then_dead(item, clock)
            for _again in range(MAX_ATTEMPTS - 1):
                with self.captureOnCommitCallbacks(execute=False):
                    self.assertEqual(recover_abandoned_jobs.call()["resumed"], 1)
                BackgroundJob.claim(job.pk)  # taken up again, and dead again
                clock.tick(JOB_LEASE + timedelta(seconds=1))
            with translation.override("en"):
                self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 1})
        item.refresh_from_db()
        # Given up: the file is checked again, nothing written, commit offered again.
        self.assertEqual(item.status, "checked")
        self.assertIn("The worker running this job stopped without finishing", item.failure)
        self.assertFalse(Person.objects.filter(number="2024001").exists())
        page = self.client.get(self.detail_url(item))
        self.assertContains(page, "The last commit stopped before it finished")
        self.assertNotContains(page, "Progress:")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.commit_url(item))
        item.refresh_from_db()
        self.assertEqual((item.status, item.failure), ("committed", ""))
        self.assertEqual(Person.objects.filter(number="2024001").count(), 1)

    @override_settings(IMPORT_MAX_ROWS=3)
    def test_a_file_longer_than_the_row_cap_is_refused_with_the_reason(self):
        self.login(self.leader)
        self.upload()  # a title, a header and three rows: five rows
        item = RosterImport.objects.get()
        self.assertEqual(item.status, "failed")
        self.assertIn("more than 3 rows", item.failure)
        self.assertContains(self.client.get(self.detail_url(item)), "split it into files")
