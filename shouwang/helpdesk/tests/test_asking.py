from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.bulletin.tests.helpers import pdf
from shouwang.core.extensions import render_slot
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent, UnitDesk
from shouwang.notify.models import Message
from shouwang.test import BaseTestCase, make_person, make_user

from .helpers import make_request

NEW = reverse("helpdesk:request_new")


class SubmitTests(BaseTestCase):
    def post(self, **data):
        fields = {"category": "living", "urgency": "high", "description": "饭卡丢了，食堂吃不上饭"}
        fields.update(data)
        return self.client.post(NEW, fields)

    def test_a_students_request_goes_to_their_counsellor(self):
        self.login(self.student)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()
        help_request = HelpRequest.objects.get()
        self.assertRedirects(response, reverse("helpdesk:request_detail", args=[help_request.pk]))
        self.assertEqual(help_request.handler, self.counsellor_a)
        self.assertEqual(help_request.status, HelpRequest.Status.SUBMITTED)
        self.assertEqual(
            list(help_request.events.values_list("kind", flat=True)),
            [HelpRequestEvent.Kind.SUBMITTED, HelpRequestEvent.Kind.ASSIGNED],
        )
        self.assertTrue(Message.objects.filter(recipient=self.counsellor_a, kind="help").exists())

    def test_staff_requests_go_to_their_units_desk(self):
        UnitDesk.objects.create(unit=self.college, handler=self.counsellor_b)
        help_request = make_request(self.counsellor_a_user, category="supplies")
        self.assertEqual(help_request.handler, self.counsellor_b)

    def test_staff_requests_fall_back_to_a_leader(self):
        help_request = make_request(self.counsellor_a_user, category="supplies")
        self.assertEqual(help_request.handler, self.leader_person)

    def test_it_shows_similar_open_requests_before_submitting_another(self):
        first = make_request(self.student, category="living")
        self.login(self.student)
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"#{first.pk}")
        self.assertContains(response, 'data-testid="similar"')
        self.assertEqual(HelpRequest.objects.count(), 1)
        self.post(still_submit="on")
        self.assertEqual(HelpRequest.objects.count(), 2)

    def test_it_rejects_an_empty_description_in_chinese(self):
        self.login(self.student)
        response = self.post(description="")
        self.assertContains(response, "请描述")
        self.assertFalse(HelpRequest.objects.exists())

    def test_it_keeps_a_pdf_and_refuses_a_program(self):
        self.login(self.student)
        self.post(attachments=[pdf()])
        help_request = HelpRequest.objects.get()
        self.assertEqual(help_request.attachments.count(), 1)
        bad = SimpleUploadedFile("virus.exe", b"MZ....")
        response = self.post(attachments=[bad], category="study")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(HelpRequest.objects.count(), 1)


class RequesterViewTests(BaseTestCase):
    def test_the_student_sees_replies_but_not_internal_notes(self):
        help_request = make_request(self.student)
        self.login(self.counsellor_a_user)
        url = reverse("helpdesk:request_reply", args=[help_request.pk])
        self.client.post(url, {"text": "明天送一台备用电脑"})
        self.client.post(url, {"text": "学院仓库还有两台", "internal": "on"})
        self.login(self.student)
        response = self.client.get(reverse("helpdesk:request_detail", args=[help_request.pk]))
        self.assertContains(response, "明天送一台备用电脑")
        self.assertNotContains(response, "学院仓库还有两台")
        help_request.refresh_from_db()
        self.assertIsNotNone(help_request.first_response_at)

    def test_a_student_cannot_write_an_internal_note(self):
        help_request = make_request(self.student)
        self.login(self.student)
        url = reverse("helpdesk:request_reply", args=[help_request.pk])
        self.client.post(url, {"text": "补充：是联想的", "internal": "on"})
        self.assertFalse(help_request.events.get(kind=HelpRequestEvent.Kind.REPLY).internal)

    def test_psych_support_is_told_of_psychological_requests_only(self):
        person = make_person("T3001", "心理老师", kind="teacher", unit=self.college)
        user = make_user(person)
        user.grant(Role.PSYCH_SUPPORT)
        with self.captureOnCommitCallbacks(execute=True):
            psych = make_request(self.student, category="psychological", text="最近总是失眠焦虑")
        study = make_request(self.student, category="study")
        self.assertTrue(Message.objects.filter(recipient=person, kind="help").exists())
        self.login(user)
        response = self.client.get(reverse("helpdesk:request_list"))
        self.assertContains(response, f"#{psych.pk}")
        self.assertNotContains(response, f"#{study.pk} ")


class FromLetterTests(BaseTestCase):
    def test_the_letter_reader_turns_a_letter_into_a_request_for_its_writer(self):
        from shouwang.bulletin.actions import send_letter
        from shouwang.bulletin.tests.helpers import make_mailboxes

        box, _ = make_mailboxes(self.leader_person, self.counsellor_b)
        letter = send_letter(
            box,
            name="张三",
            contact="13912345678",
            subject="宿舍没有热水",
            body="三天没有热水了",
            client="t",
        )
        self.login(self.leader)
        page = self.client.get(letter.get_absolute_url())
        self.assertContains(page, 'data-testid="letter-to-request"')
        # Only for a reader of the letter who is a person: a request is someone's.
        request = RequestFactory().get("/")
        for user in (self.counsellor_a_user, User.objects.create_superuser("root", password="x")):
            request.user = user
            self.assertNotIn("letter-to-request", render_slot("bulletin.letter", request, letter))
        self.client.post(
            reverse("helpdesk:from_letter", args=[letter.pk]),
            {"category": "living", "urgency": "high", "number": "2020001"},
        )
        help_request = HelpRequest.objects.get()
        self.assertEqual(help_request.requester, self.student_a)
        self.assertEqual(help_request.handler, self.counsellor_a)
        self.assertIn("三天没有热水了", help_request.description)
        self.assertEqual(help_request.source, f"letter:{letter.code}")
