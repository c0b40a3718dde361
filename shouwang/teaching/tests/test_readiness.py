import datetime as dt

from django.urls import reverse

from shouwang.helpdesk.models import HelpRequest
from shouwang.teaching import actions
from shouwang.teaching.models import Readiness
from shouwang.teaching.queries import needs_readiness

from .attendance_base import AttendanceTestCase

ONLINE_FROM = dt.date(2022, 4, 6)


class ReadinessPromptTestCase(AttendanceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        actions.go_online(
            term=cls.term, units=[cls.college], starts_on=ONLINE_FROM, acting_user=cls.leader
        )

    def test_a_student_with_online_lessons_is_asked_on_home_and_today(self):
        self.login(self.student)
        for url in (reverse("home:home"), reverse("teaching:today")):
            self.assertContains(self.client.get(url), 'data-testid="readiness-prompt"')

    def test_once_answered_the_question_is_not_asked_again(self):
        self.login(self.student)
        response = self.client.post(
            reverse("teaching:readiness"), {"poor_network": "on", "note": "山区，信号差"}
        )
        self.assertRedirects(response, reverse("teaching:today"))
        answer = Readiness.objects.get(person=self.student_a)
        self.assertEqual((answer.no_device, answer.poor_network), (False, True))
        self.assertNotContains(self.client.get(reverse("home:home")), "readiness-prompt")

    def test_the_answer_can_be_changed_later(self):
        self.login(self.student)
        self.client.post(reverse("teaching:readiness"), {"poor_network": "on"})
        page = self.client.get(reverse("teaching:readiness"))
        self.assertRegex(page.content.decode(), r'name="poor_network"[^>]* checked')
        self.client.post(reverse("teaching:readiness"), {})
        answer = Readiness.objects.get(person=self.student_a)
        self.assertFalse(answer.has_problem)

    def test_a_student_whose_teaching_is_not_online_yet_is_not_asked(self):
        self.assertFalse(needs_readiness(self.student_a.pk, ONLINE_FROM - dt.timedelta(days=1)))
        self.assertTrue(needs_readiness(self.student_a.pk, ONLINE_FROM))

    def test_a_teacher_is_not_asked(self):
        self.login(self.teacher_user)
        self.assertNotContains(self.client.get(reverse("teaching:today")), "readiness-prompt")


class ReadinessListTestCase(AttendanceTestCase):
    answer_a: Readiness

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.answer_a = actions.answer_readiness(
            cls.student_a,
            no_device=True,
            poor_network=False,
            note="手机坏了",
            acting_user=cls.student,
        )
        actions.answer_readiness(
            cls.student_b, no_device=False, poor_network=True, acting_user=cls.student_b_user
        )
        # Can attend: not listed.
        actions.answer_readiness(
            cls.volunteer_person, no_device=False, poor_network=False, acting_user=cls.volunteer
        )

    def test_the_counsellor_sees_their_own_students_with_a_problem(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("teaching:readiness_list"))
        self.assertContains(response, 'data-testid="readiness-problem"', count=1)
        self.assertContains(response, "手机坏了")
        self.assertNotContains(response, "李四")

    def test_a_leader_sees_the_college(self):
        self.login(self.leader)
        response = self.client.get(reverse("teaching:readiness_list"))
        self.assertContains(response, 'data-testid="readiness-problem"', count=2)
        self.assertNotContains(response, "王五")

    def test_a_problem_becomes_one_help_request_however_often_asked(self):
        self.login(self.counsellor_a_user)
        url = reverse("teaching:readiness_help", args=[self.answer_a.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "A help request is open for 张三.")
        self.client.post(url)
        help_request = HelpRequest.objects.get()
        self.assertEqual(help_request.requester, self.student_a)
        self.assertEqual(help_request.handler, self.counsellor_a)
        self.assertIn("手机坏了", help_request.description)
        self.answer_a.refresh_from_db()
        self.assertEqual(self.answer_a.help_request, help_request)
        page = self.client.get(reverse("teaching:readiness_list"))
        self.assertContains(page, reverse("helpdesk:request_detail", args=[help_request.pk]))

    def test_another_counsellor_finds_no_such_answer(self):
        self.login(self.counsellor_b_user)
        url = reverse("teaching:readiness_help", args=[self.answer_a.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(HelpRequest.objects.exists())

    def test_the_list_costs_the_same_however_many_students(self):
        self.login(self.leader)
        url = reverse("teaching:readiness_list")
        self.client.get(url)
        with self.assertNumQueries(6):
            self.client.get(url)
        self.client.post(reverse("teaching:readiness_help", args=[self.answer_a.pk]))
        with self.assertNumQueries(6):
            self.client.get(url)
