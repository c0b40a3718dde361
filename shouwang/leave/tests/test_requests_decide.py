"""A request's page: where it stands, its documents, and the approver's decision."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from shouwang.core.models import LogEntry
from shouwang.leave.audit import LeaveEvent
from shouwang.leave.models import LeaveAttachment, LeaveRequest, LeaveStep

from .base import BEIJING, LeaveTestCase, ask

Event = LeaveStep.Event


class RequestDetailTests(LeaveTestCase):
    def test_the_requester_sees_whom_it_waits_on(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.student)
        response = self.client.get(leave.get_absolute_url())
        self.assertContains(response, 'data-testid="waiting-on">赵璞<', html=False)
        self.assertNotContains(response, 'data-testid="decide-form"')
        self.assertContains(response, 'data-testid="withdraw"')

    def test_the_approver_gets_the_decision_form(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        response = self.client.get(leave.get_absolute_url())
        self.assertContains(response, 'data-testid="decide-form"')
        self.assertNotContains(response, 'data-testid="withdraw"')

    def test_it_leaves_room_for_the_pass(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.student)
        response = self.client.get(leave.get_absolute_url())
        self.assertTemplateUsed(response, "leave/includes/passage.html")

    def test_an_outsider_gets_404(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(leave.get_absolute_url()).status_code, 404)


class DecideTests(LeaveTestCase):
    def url(self, leave):
        return reverse("leave:decide", args=[leave.pk])

    def test_the_counsellor_approves(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(leave), {"outcome": "approved"})
        self.assertRedirects(response, reverse("leave:queue"))
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)

    def test_leaving_the_city_goes_on_to_the_deputy(self):
        leave = ask(self.student_a, self.away, user=self.student, city=BEIJING)
        self.login(self.counsellor_a_user)
        self.client.post(self.url(leave), {"outcome": "approved"})
        leave.refresh_from_db()
        self.assertEqual(leave.approver, self.leader_person)

    def test_a_rejection_without_reason_is_refused(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        with translation.override("en"):
            response = self.client.post(self.url(leave), {"outcome": "rejected"}, follow=True)
        self.assertContains(response, "Say why")
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.PENDING)

    def test_a_return_says_why(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        self.client.post(self.url(leave), {"outcome": "returned", "note": "写清地址"})
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.RETURNED)
        self.assertEqual(leave.history.values_list("note", flat=True).last(), "写清地址")

    def test_one_who_sees_it_but_may_not_decide_gets_403(self):
        leave = ask(self.student_a, self.away, user=self.student)
        for user in (self.student, self.leader):
            self.login(user)
            self.assertEqual(
                self.client.post(self.url(leave), {"outcome": "approved"}).status_code, 403
            )

    def test_a_leader_decides_once_it_is_escalated(self):
        leave = ask(self.student_a, self.away, user=self.student)
        LeaveRequest.objects.filter(pk=leave.pk).update(escalated_at=leave.waiting_since)
        self.login(self.leader)
        self.client.post(self.url(leave), {"outcome": "approved"})
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)

    def test_an_outsider_gets_404(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_b_user)
        self.assertEqual(
            self.client.post(self.url(leave), {"outcome": "approved"}).status_code, 404
        )


class AttachmentTests(LeaveTestCase):
    def setUp(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.file = LeaveAttachment.store(
            [SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
            uploaded_by=self.student,
            request=leave,
        )[0]
        self.url = reverse("leave:attachment", args=[self.file.pk])

    def reads(self):
        return LogEntry.objects.filter(kind=LeaveEvent.ATTACHMENT_READ).count()

    def test_the_counsellor_downloads_it_and_the_read_is_audited(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(self.reads(), 1)

    def test_the_requester_reads_their_own_unaudited(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.reads(), 0)

    def test_an_outsider_gets_404(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url).status_code, 404)
