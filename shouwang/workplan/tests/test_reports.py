from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from shouwang.notify.models import Message
from shouwang.workplan import actions
from shouwang.workplan.message_kinds import REPORT_SCORED
from shouwang.workplan.models import Report, ReportFile

from .base import PlanTestCase

PDF = b"%PDF-1.4 minutes of the seminar"


def pdf(name: str = "研讨纪要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class ReportTests(PlanTestCase):
    report: Report

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = cls.measure.reports.earliest("due_on")

    def write(self, user, text: str, files=()):
        self.login(user)
        url = reverse("workplan:report_write", args=[self.report.pk])
        return self.client.post(url, {"text": text, "files": list(files)})

    def score(self, user, score, comment=""):
        self.login(user)
        url = reverse("workplan:report_score", args=[self.report.pk])
        return self.client.post(url, {"score": score, "comment": comment})

    def test_the_owner_rewrites_until_scored_then_it_is_final(self):
        response = self.write(self.teacher, "召开专业建设研讨会", [pdf()])
        self.assertRedirects(response, self.report.get_absolute_url())
        response = self.write(self.counsellor_a_user, "召开专业建设研讨会两次")
        self.assertEqual(response.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.text, "召开专业建设研讨会两次")
        self.assertEqual(self.report.files.count(), 1)
        self.assertEqual(self.score(self.leader, 4, "进度正常").status_code, 302)
        response = self.write(self.teacher, "改写")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["report_form"].non_field_errors())
        self.report.refresh_from_db()
        self.assertEqual(self.report.text, "召开专业建设研讨会两次")
        self.login(self.teacher)
        page = self.client.get(self.report.get_absolute_url())
        self.assertNotContains(page, 'data-testid="report-form"')

    def test_the_owner_sees_the_score_and_is_told(self):
        actions.submit_report(self.report, text="完成申报书初稿", acting_user=self.teacher)
        self.login(self.leader)
        page = self.client.get(self.report.get_absolute_url())
        self.assertContains(page, 'data-testid="score-form"')
        self.score(self.leader, 5, "申报书质量高")
        self.login(self.teacher)
        page = self.client.get(self.report.get_absolute_url())
        self.assertContains(page, 'data-testid="score-value">5 / 5<')
        self.assertContains(page, "申报书质量高")
        self.assertNotContains(page, 'data-testid="score-form"')
        told = Message.objects.filter(kind=REPORT_SCORED)
        self.assertEqual(
            set(told.values_list("recipient_id", flat=True)),
            {self.teacher_person.pk, self.counsellor_a.pk},
        )
        measure_page = self.client.get(self.measure.get_absolute_url())
        self.assertContains(measure_page, "5 / 5")

    def test_only_the_plans_leaders_score_and_only_a_submitted_report(self):
        self.assertEqual(self.score(self.leader, 3).status_code, 200)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.score)
        actions.submit_report(self.report, text="完成", acting_user=self.teacher)
        self.assertEqual(self.score(self.teacher, 5).status_code, 403)
        self.assertEqual(self.score(self.leader, 6).status_code, 200)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.score)

    def test_a_leader_does_not_write_an_owners_report(self):
        self.assertEqual(self.write(self.leader, "代写").status_code, 403)

    def test_an_executable_renamed_pdf_is_refused(self):
        fake = SimpleUploadedFile("进展.pdf", b"MZ\x90\x00" + b"\0" * 200)
        response = self.write(self.teacher, "召开研讨会", [fake])
        self.assertEqual(response.status_code, 200)
        self.assertIn("files", response.context["report_form"].errors)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.submitted_at)
        self.assertFalse(ReportFile.objects.exists())

    def test_a_reports_file_is_downloaded_by_its_readers_only(self):
        self.write(self.teacher, "召开研讨会", [pdf()])
        file = self.report.files.get()
        url = reverse("workplan:report_file_download", args=[file.pk])
        self.login(self.leader)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response.getvalue(), PDF)
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(self.report.get_absolute_url()).status_code, 404)


class ReportListTests(PlanTestCase):
    def listed(self, user, table: str) -> set[int]:
        self.login(user)
        response = self.client.get(reverse("workplan:report_list"))
        self.assertEqual(response.status_code, 200)
        return {report.pk for report in response.context[table]}

    @freeze_time("2022-03-01 09:00")
    def test_owners_see_what_to_write_and_leaders_what_to_score(self):
        january, february, march, april = self.measure.reports.order_by("due_on")[:4]
        january = actions.submit_report(january, text="召开研讨会", acting_user=self.teacher)
        self.assertEqual(self.listed(self.teacher, "to_write"), {february.pk, march.pk})
        self.assertEqual(self.listed(self.counsellor_a_user, "to_write"), {february.pk, march.pk})
        self.assertEqual(self.listed(self.counsellor_b_user, "to_write"), set())
        self.assertEqual(self.listed(self.leader, "to_score"), {january.pk})
        self.assertEqual(self.listed(self.teacher, "to_score"), set())
        actions.score_report(january, score=4, acting_user=self.leader)
        self.assertEqual(self.listed(self.leader, "to_score"), set())
        self.assertNotIn(april.pk, self.listed(self.teacher, "to_write"))
