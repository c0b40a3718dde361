"""Initial passwords issued in bulk: scopes, who may, what is spared, the files."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time
from openpyxl import load_workbook

from shouwang.accounts import sealed
from shouwang.accounts.checks import INITIAL_HASHER, check_initial_passwords
from shouwang.accounts.models import INITIAL_ALGORITHM, PasswordIssue, User
from shouwang.accounts.tasks import delete_old_issued_files, file_path, issue_passwords_task
from shouwang.core.models import JOB_LEASE, BackgroundJob, LogEntry
from shouwang.core.scheduler import JOBS
from shouwang.core.tasks import recover_abandoned_jobs
from shouwang.people.models import Person, RosterImport, Unit
from shouwang.test import PASSWORD, BaseTestCase, make_person


def sheet_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


class IssueTestCase(BaseTestCase):
    url = reverse("passwords:issue_list")
    new_a1: Person
    new_a2: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Two students of class A imported without logins.
        cls.new_a1 = make_person("2020101", "陈一", unit=cls.college, admin_class=cls.class_a)
        cls.new_a2 = make_person("2020102", "陈二", unit=cls.college, admin_class=cls.class_a)

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def issue(self, **data) -> PasswordIssue:
        data.setdefault("scope", "class")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {k: v for k, v in data.items() if v is not None})
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        return PasswordIssue.objects.latest("pk")

    def download(self, issue: PasswordIssue, which: str = "sheet"):
        return self.client.post(reverse(f"passwords:issue_{which}", args=[issue.pk]))

    def issued_sheet(self, issue: PasswordIssue) -> dict[str, list]:
        response = self.download(issue)
        self.assertEqual(response.status_code, 200)
        rows = sheet_rows(response.content)
        return {row[0]: row for row in rows[1:]}


class IssueToAClassTestCase(IssueTestCase):
    def test_it_gives_everyone_without_a_login_a_login_with_a_random_initial_password(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        self.assertEqual(issue.status, PasswordIssue.Status.DONE)
        self.assertEqual(issue.issued, 2)
        rows = self.issued_sheet(issue)
        self.assertEqual(set(rows), {"2020101", "2020102"})
        number, name, class_name, password, login_url, _until = rows["2020101"]
        self.assertEqual((name, class_name), ("陈一", "计科2001"))
        self.assertEqual(login_url, "http://testserver/accounts/login/")
        self.assertGreaterEqual(len(password), 10)
        self.assertNotEqual(password, rows["2020102"][3])
        user = User.objects.get(person=self.new_a1)
        self.assertEqual(user.username, "2020101")
        self.assertTrue(user.must_change_password)
        self.assertTrue(user.check_password(password))
        self.assertNotIn(password, user.password)
        self.assertEqual(identify_hasher(user.password).algorithm, INITIAL_ALGORITHM)

    def test_the_hash_is_salted(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        users = User.objects.filter(person__in=[self.new_a1, self.new_a2])
        salts = {get_hasher(INITIAL_ALGORITHM).decode(u.password)["salt"] for u in users}
        self.assertEqual(len(salts), 2)
        self.assertEqual(issue.issued, 2)

    def test_a_reissue_spares_whoever_chose_their_own_password(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        self.assertEqual(issue.kept_own, 1)  # student_a
        self.student.refresh_from_db()
        self.assertTrue(self.student.check_password(PASSWORD))
        self.assertFalse(self.student.must_change_password)
        # Issued again: the two still on their initial passwords get new ones.
        again = self.issue(admin_class=self.class_a.pk)
        self.assertEqual(again.issued, 2)
        self.student.refresh_from_db()
        self.assertTrue(self.student.check_password(PASSWORD))

    def test_it_replaces_own_passwords_only_when_asked(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk, reset_own="on")
        self.assertEqual((issue.issued, issue.kept_own), (3, 0))
        rows = self.issued_sheet(issue)
        self.student.refresh_from_db()
        self.assertFalse(self.student.check_password(PASSWORD))
        self.assertTrue(self.student.check_password(rows["2020001"][3]))
        self.assertTrue(self.student.must_change_password)

    def test_a_number_that_another_login_bears_is_left_out_and_said_so(self):
        User.objects.create_user(username="2020102", password="x")  # nobody's person
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        self.assertEqual((issue.issued, issue.name_taken), (1, 1))
        self.assertContains(
            self.client.get(reverse("passwords:issue_detail", args=[issue.pk])),
            "1 person got no login",
        )
        self.assertFalse(User.objects.filter(person=self.new_a2).exists())

    def test_graduates_get_no_login(self):
        Person.objects.filter(pk=self.new_a2.pk).update(status=Person.Status.GRADUATED)
        self.login(self.leader)
        self.assertEqual(self.issue(admin_class=self.class_a.pk).issued, 1)

    def test_the_issuing_is_audited_with_who_for_whom_and_how_many(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        entry = LogEntry.objects.get(kind="accounts.passwords_issued")
        self.assertEqual(entry.actor, self.leader)
        self.assertEqual(entry.object_pk, str(issue.pk))
        self.assertEqual(entry.additional_data["count"], 2)
        self.assertEqual(entry.additional_data["target"], "计科2001")
        self.assertEqual(sorted(entry.additional_data["people"]), ["2020101", "2020102"])


class ScopesTestCase(IssueTestCase):
    def test_a_unit_covers_its_sub_units_and_students_filed_under_their_class(self):
        office = Unit.objects.create(
            name="学生工作办公室", kind=Unit.Kind.OFFICE, parent=self.college
        )
        make_person("S0100", "吴老师", Person.Kind.STAFF, unit=office)
        other = Unit.objects.create(name="会计学院", kind=Unit.Kind.COLLEGE, parent=self.university)
        make_person("S0200", "郑老师", Person.Kind.STAFF, unit=other)
        make_person("2020103", "陈三", admin_class=self.class_a)  # no unit of their own
        self.login(self.admin)
        rows = self.issued_sheet(self.issue(scope="unit", unit=self.college.pk))
        self.assertIn("S0100", rows)
        self.assertIn("2020103", rows)
        self.assertNotIn("S0200", rows)
        self.assertNotIn("S0001", rows)  # the admin themselves

    def test_an_import_covers_the_people_it_created_and_no_one_else(self):
        roster_import = RosterImport.objects.create(
            filename="new.xlsx", uploaded_by=self.leader, status=RosterImport.Status.COMMITTED
        )
        Person.objects.filter(pk=self.new_a1.pk).update(created_by_import=roster_import)
        self.login(self.leader)
        rows = self.issued_sheet(self.issue(scope="import", roster_import=roster_import.pk))
        self.assertEqual(list(rows), ["2020101"])

    def test_a_committed_import_remembers_whom_it_created(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "roster.csv"
            path.write_text("学号,姓名,班级\n2020001,张三,计科2001\n2020201,林一,计科2001\n")
            call_command("import_roster", str(path), "--commit", stdout=io.StringIO())
        roster_import = RosterImport.objects.get()
        created = Person.objects.filter(created_by_import=roster_import)
        self.assertEqual(list(created.values_list("number", flat=True)), ["2020201"])
        self.login(self.admin)  # an import from the command line is the admins'
        self.assertContains(
            self.client.get(reverse("people:roster_import_detail", args=[roster_import.pk])),
            f"/passwords/?import={roster_import.pk}",
        )

    def test_everyone_who_cannot_log_in_yet_leaves_out_pending_and_own_passwords(self):
        unusable = make_person("2021101", "刘一", admin_class=self.class_b)
        User.objects.create_user(username="2021101", person=unusable)  # no password
        expired = make_person("2021102", "刘二", admin_class=self.class_b)
        pending = make_person("2021103", "刘三", admin_class=self.class_b)
        for person, days in ((expired, -1), (pending, 5)):
            user = User(username=person.number, person=person)
            user.set_initial_password()
            user.initial_password_expires_at = timezone.now() + timedelta(days=days)
            user.save()
        self.login(self.admin)
        rows = self.issued_sheet(self.issue(scope="all_new"))
        self.assertEqual(set(rows), {"2020101", "2020102", "2021101", "2021102"})

    def test_everyone_who_cannot_log_in_has_no_own_password_to_replace(self):
        self.login(self.admin)
        response = self.client.post(self.url, {"scope": "all_new", "reset_own": "on"})
        self.assertContains(response, "has no password of their own")
        self.assertFalse(PasswordIssue.objects.exists())


class WhoMayIssueTestCase(IssueTestCase):
    def test_a_counsellor_issues_for_their_own_class(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.issue(admin_class=self.class_a.pk).issued, 2)

    def test_a_counsellor_cannot_issue_for_another_class(self):
        self.login(self.counsellor_b_user)
        response = self.client.post(self.url, {"scope": "class", "admin_class": self.class_a.pk})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.assertFalse(PasswordIssue.objects.exists())
        self.assertFalse(User.objects.filter(person=self.new_a1).exists())

    def test_a_counsellor_is_offered_no_unit_and_no_import(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, "计科2001")
        self.assertNotContains(response, "信管2101")
        self.assertNotContains(response, 'name="unit"')
        response = self.client.post(self.url, {"scope": "unit", "unit": self.college.pk})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PasswordIssue.objects.exists())

    def test_a_leader_never_replaces_a_colleagues_password(self):
        self.login(self.leader)
        rows = self.issued_sheet(self.issue(scope="unit", unit=self.college.pk, reset_own="on"))
        self.assertNotIn("S0001", rows)  # the admin
        self.assertNotIn("T1001", rows)  # a counsellor
        self.assertNotIn("T0001", rows)  # the leader themselves
        self.assertIn("2020001", rows)
        self.admin.refresh_from_db()
        self.assertTrue(self.admin.check_password(PASSWORD))

    def test_students_and_volunteers_may_not(self):
        for user in (self.student, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)


class FilesTestCase(IssueTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.leader)
        self.issued = self.issue(admin_class=self.class_a.pk)

    def test_the_files_are_sealed_on_disk_outside_the_media_folder(self):
        for which in ("sheet", "slips"):
            path = file_path(self.issued, which)
            data = path.read_bytes()
            self.assertFalse(data.startswith(b"PK") or data.startswith(b"%PDF"))
            self.assertNotIn(b"2020101", data)
            self.assertFalse(path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()))
            with self.assertRaises(sealed.SealError):
                sealed.unseal(data, sealed.new_key_pair()[0])
        self.assertTrue((file_path(self.issued, "sheet").parent / "CACHEDIR.TAG").exists())

    def test_each_file_is_gone_after_its_first_download(self):
        sheet = self.download(self.issued, "sheet")
        self.assertEqual(sheet.status_code, 200)
        self.assertEqual(
            sheet["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private"
        )
        self.assertFalse(file_path(self.issued, "sheet").exists())
        again = self.download(self.issued, "sheet")
        self.assertEqual(
            again["Location"], reverse("passwords:issue_detail", args=[self.issued.pk])
        )
        self.assertContains(self.client.get(again["Location"]), "downloaded already")
        slips = self.download(self.issued, "slips")
        self.assertTrue(slips.content.startswith(b"%PDF"))
        self.issued.refresh_from_db()
        self.assertIsNotNone(self.issued.files_deleted_at)
        self.assertEqual(
            sorted(
                LogEntry.objects.filter(kind__startswith="accounts.password_s").values_list(
                    "kind", flat=True
                )
            ),
            ["accounts.password_sheet_downloaded", "accounts.password_slips_downloaded"],
        )

    def test_another_browser_cannot_open_them(self):
        self.client.cookies.clear()
        self.client.force_login(self.leader)
        response = self.download(self.issued)
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(response["Location"]), "Only the browser that issued")
        self.assertTrue(file_path(self.issued, "sheet").exists())

    def test_an_admin_sees_the_issue_but_cannot_download_it(self):
        self.login(self.admin)
        self.assertContains(
            self.client.get(reverse("passwords:issue_detail", args=[self.issued.pk])),
            "Only the person who issued",
        )
        self.assertEqual(self.download(self.issued).status_code, 403)

    def test_the_scheduler_runs_the_deletion(self):
        self.assertIn(delete_old_issued_files.module_path, JOBS)

    def test_they_are_deleted_after_24_hours_even_if_never_downloaded(self):
        with freeze_time(timezone.now() + timedelta(hours=23)):
            self.assertEqual(delete_old_issued_files.call(), 0)
        self.assertTrue(file_path(self.issued, "slips").exists())
        with freeze_time(timezone.now() + timedelta(hours=24, minutes=1)):
            self.assertEqual(delete_old_issued_files.call(), 1)
        self.assertFalse(file_path(self.issued, "sheet").exists())
        self.assertFalse(file_path(self.issued, "slips").exists())
        self.assertContains(self.download(self.issued), "", status_code=302)

    def test_the_page_polls_while_the_passwords_are_issued(self):
        running = PasswordIssue.objects.create(
            scope=PasswordIssue.Scope.CLASS,
            admin_class=self.class_a,
            issued_by=self.leader,
            login_url="http://testserver/accounts/login/",
            status=PasswordIssue.Status.RUNNING,
        )
        BackgroundJob.objects.create(
            kind=issue_passwords_task.module_path,
            subject=running,
            started_by=self.leader,
            state=BackgroundJob.State.RUNNING,
            total=1000,
            done=500,
            lease_expires_at=timezone.now() + JOB_LEASE,
        )
        url = reverse("passwords:issue_detail", args=[running.pk])
        page = self.client.get(url)
        self.assertContains(page, "500 / 1000")
        self.assertContains(page, "<noscript>")  # a refresh link without JavaScript
        partial = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(partial, 'hx-trigger="every 1s"')
        self.assertNotContains(partial, "<html")

    def test_the_page_shows_progress_then_the_downloads(self):
        response = self.client.get(reverse("passwords:issue_detail", args=[self.issued.pk]))
        self.assertContains(response, "Download the slips")
        self.assertContains(response, 'data-testid="issued">2<')


class IssueJobTestCase(IssueTestCase):
    """The issue runs as a background job whose progress its page shows."""

    def test_the_issue_reports_on_its_job(self):
        self.login(self.leader)
        issue = self.issue(admin_class=self.class_a.pk)
        job = BackgroundJob.objects.of(issue).get()
        self.assertEqual((job.kind, job.state), (issue_passwords_task.module_path, "done"))
        self.assertEqual((job.done, job.total, job.started_by), (2, 2, self.leader))

    def test_an_issue_whose_worker_died_is_failed_and_says_so(self):
        self.login(self.leader)
        with freeze_time(timezone.now()) as clock:
            with self.captureOnCommitCallbacks(execute=False):
                self.client.post(self.url, {"scope": "class", "admin_class": self.class_a.pk})
            issue = PasswordIssue.objects.get()
            # A worker took it up, then died.
            BackgroundJob.claim(BackgroundJob.objects.of(issue).get().pk)
            clock.tick(JOB_LEASE + timedelta(seconds=1))
            url = reverse("passwords:issue_detail", args=[issue.pk])
            page = self.client.get(url)
            self.assertContains(page, "stopped without finishing")
            self.assertNotContains(page, "hx-trigger")
            recover_abandoned_jobs.call()
        issue.refresh_from_db()
        self.assertEqual(issue.status, "failed")
        self.assertContains(self.client.get(url), "nobody has received one")
        self.assertFalse(User.objects.filter(username="2020101").exists())


class FirstLoginTestCase(IssueTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.counsellor_a_user)
        self.password = self.issued_sheet(self.issue(admin_class=self.class_a.pk))["2020101"][3]
        self.client.logout()

    def log_in(self):
        return self.client.post(
            reverse("accounts:login"), {"username": "2020101", "password": self.password}
        )

    def test_the_first_login_forces_a_change_and_the_hash_becomes_the_default(self):
        response = self.log_in()
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(username="2020101")
        # Not rehashed at the login: the change replaces it.
        self.assertEqual(identify_hasher(user.password).algorithm, INITIAL_ALGORITHM)
        self.assertRedirects(
            self.client.get(reverse("home:home")), f"{reverse('accounts:password_change')}?next=/"
        )
        self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": self.password,
                "new_password1": "Chun-Hua-2022",
                "new_password2": "Chun-Hua-2022",
            },
        )
        user.refresh_from_db()
        self.assertFalse(user.must_change_password)
        self.assertIsNone(user.initial_password_expires_at)
        self.assertEqual(identify_hasher(user.password).algorithm, get_hasher().algorithm)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)

    def test_an_initial_password_unused_for_30_days_no_longer_logs_in(self):
        with freeze_time(timezone.now() + timedelta(days=30, minutes=1)):
            response = self.log_in()
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertContains(response, "This initial password expired on")

    def test_it_still_logs_in_on_the_29th_day(self):
        with freeze_time(timezone.now() + timedelta(days=29)):
            self.assertEqual(self.log_in().status_code, 302)


class IssuePasswordsCommandTestCase(BaseTestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.out = Path(tmp.name) / "logins.xlsx"
        make_person("2020101", "陈一", admin_class=self.class_a)

    def run_command(self, *args) -> str:
        stdout = io.StringIO()
        call_command("issue_passwords", *args, "--out", str(self.out), stdout=stdout)
        return stdout.getvalue()

    @override_settings(SITE_URL="https://shouwang.example.edu.cn")
    def test_it_writes_a_readable_sheet_and_the_slips_and_says_how_many(self):
        output = self.run_command("--class", "计科2001")
        self.assertIn("issued 1 initial passwords; 1 kept", output)
        rows = sheet_rows(self.out.read_bytes())
        self.assertEqual(rows[1][:3], ["2020101", "陈一", "计科2001"])
        self.assertEqual(rows[1][4], "https://shouwang.example.edu.cn/accounts/login/")
        user = User.objects.get(username="2020101")
        self.assertTrue(user.check_password(rows[1][3]))
        self.assertTrue(self.out.with_suffix(".pdf").read_bytes().startswith(b"%PDF"))
        entry = LogEntry.objects.get(kind="accounts.passwords_issued")
        self.assertIsNone(entry.actor)

    def test_it_needs_the_login_address_for_the_slips(self):
        from django.core.management import CommandError

        with self.assertRaisesMessage(CommandError, "SITE_URL"):
            self.run_command("--all-new")

    def test_everyone_who_cannot_log_in_yet(self):
        output = self.run_command("--all-new", "--login-url", "http://10.0.0.5/accounts/login/")
        self.assertIn("issued 1 initial passwords", output)


class CreateSuperuserTestCase(BaseTestCase):
    def test_the_first_admin_keeps_the_password_they_chose(self):
        with self.settings(AUTH_PASSWORD_VALIDATORS=[]):
            call_command(
                "createsuperuser",
                "--noinput",
                "--username",
                "root",
                "--email",
                "",
                stdout=io.StringIO(),
            )
        user = User.objects.get(username="root")
        self.assertFalse(user.must_change_password)
        self.assertTrue(user.is_superuser)

    def test_other_new_logins_must_change_theirs(self):
        self.assertTrue(User.objects.create_user("someone", password="x").must_change_password)


class ChecksTestCase(SimpleTestCase):
    def errors(self) -> set[str | None]:
        return {error.id for error in check_initial_passwords(None)}

    def test_the_settings_pass(self):
        self.assertEqual(self.errors(), set())

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
    def test_it_refuses_settings_without_the_initial_hasher(self):
        self.assertEqual(self.errors(), {"shouwang.E030"})

    @override_settings(
        PASSWORD_HASHERS=[INITIAL_HASHER, "django.contrib.auth.hashers.MD5PasswordHasher"]
    )  # noqa: E501
    def test_it_refuses_the_initial_hasher_first(self):
        self.assertEqual(self.errors(), {"shouwang.E031"})

    def test_it_refuses_the_files_under_the_media_folder(self):
        with self.settings(ISSUED_FILES_DIR=Path(settings.MEDIA_ROOT) / "issued"):
            self.assertEqual(self.errors(), {"shouwang.E032"})
