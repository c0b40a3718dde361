from django.urls import reverse

from shouwang.core.audit import access_log_for
from shouwang.helpdesk import actions
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent, HelpRequestTask
from shouwang.test import BaseTestCase

from .helpers import make_request

S = HelpRequest.Status


def url(name, help_request):
    return reverse(f"helpdesk:{name}", args=[help_request.pk])


class ClaimTests(BaseTestCase):
    def test_the_first_to_take_a_request_gets_it(self):
        help_request = make_request(self.student)
        self.login(self.leader)
        self.client.post(url("request_claim", help_request))
        self.login(self.counsellor_a_user)
        response = self.client.post(url("request_claim", help_request), follow=True)
        self.assertContains(response, "已被")
        help_request.refresh_from_db()
        self.assertEqual(help_request.handler, self.leader_person)
        self.assertEqual(help_request.status, S.ACCEPTED)
        self.assertEqual(help_request.events.filter(kind=HelpRequestEvent.Kind.CLAIMED).count(), 1)

    def test_a_stale_copy_cannot_take_a_taken_request(self):
        help_request = make_request(self.student)
        stale = HelpRequest.objects.get(pk=help_request.pk)
        actions.claim(help_request, acting_user=self.counsellor_a_user)
        with self.assertRaises(actions.AlreadyTaken):
            actions.claim(stale, acting_user=self.leader)


class LifecycleTests(BaseTestCase):
    def resolve(self, help_request):
        self.login(self.counsellor_a_user)
        self.client.post(url("request_claim", help_request))
        self.client.post(url("request_status", help_request), {"status": "in_progress"})
        self.client.post(
            url("request_status", help_request), {"status": "resolved", "text": "已送备用电脑"}
        )
        help_request.refresh_from_db()

    def test_every_step_is_in_the_history(self):
        help_request = make_request(self.student)
        self.resolve(help_request)
        self.assertEqual(help_request.status, S.RESOLVED)
        self.login(self.student)
        self.client.post(url("request_confirm", help_request))
        help_request.refresh_from_db()
        self.assertEqual(help_request.status, S.CONFIRMED)
        self.assertEqual(
            list(help_request.events.values_list("kind", flat=True)),
            ["submitted", "assigned", "claimed", "status", "status", "confirmed"],
        )

    def test_resolving_needs_a_word_on_what_was_done(self):
        help_request = make_request(self.student)
        self.login(self.counsellor_a_user)
        self.client.post(url("request_claim", help_request))
        response = self.client.post(
            url("request_status", help_request), {"status": "resolved"}, follow=True
        )
        self.assertContains(response, "说明")
        help_request.refresh_from_db()
        self.assertEqual(help_request.status, S.ACCEPTED)

    def test_the_requester_can_reopen_and_the_handler_takes_it_again(self):
        help_request = make_request(self.student)
        self.resolve(help_request)
        self.login(self.student)
        self.client.post(url("request_reopen", help_request), {"text": "电脑还是开不了机"})
        help_request.refresh_from_db()
        self.assertEqual(help_request.status, S.REOPENED)
        self.assertIsNone(help_request.resolved_at)
        self.assertIn("电脑还是开不了机", help_request.events.last().text)
        self.login(self.counsellor_a_user)
        self.client.post(url("request_claim", help_request))
        help_request.refresh_from_db()
        self.assertEqual(help_request.status, S.ACCEPTED)

    def test_only_the_requester_confirms(self):
        help_request = make_request(self.student)
        self.resolve(help_request)
        response = self.client.post(url("request_confirm", help_request))
        self.assertEqual(response.status_code, 403)

    def test_a_counsellor_who_is_not_the_handler_cannot_move_it(self):
        help_request = make_request(self.student)
        actions.reassign(help_request, self.leader_person, acting_user=self.leader)
        self.login(self.counsellor_a_user)
        response = self.client.post(url("request_status", help_request), {"status": "in_progress"})
        self.assertEqual(response.status_code, 403)

    def test_reassigning_gives_the_request_to_someone_else(self):
        help_request = make_request(self.student)
        self.login(self.counsellor_a_user)
        self.client.post(
            url("request_reassign", help_request), {"number": "T0001", "text": "需学院协调"}
        )
        help_request.refresh_from_db()
        self.assertEqual(help_request.handler, self.leader_person)
        self.assertIn("孙书记", help_request.events.last().text)

    def test_reassigning_to_a_student_is_refused(self):
        help_request = make_request(self.student)
        self.login(self.counsellor_a_user)
        response = self.client.post(
            url("request_reassign", help_request), {"number": "2021001"}, follow=True
        )
        self.assertContains(response, "教师")
        help_request.refresh_from_db()
        self.assertEqual(help_request.handler, self.counsellor_a)


class TaskTests(BaseTestCase):
    def test_an_assignee_sees_what_and_where_and_nothing_else(self):
        help_request = make_request(self.student, text="需要布洛芬，宿舍B-312")
        self.login(self.counsellor_a_user)
        self.client.post(
            url("task_new", help_request),
            {"number": "2021002", "what": "买一盒布洛芬", "where": "B-312门口"},
        )
        task = HelpRequestTask.objects.get()
        self.login(self.volunteer)
        response = self.client.get(reverse("helpdesk:task_detail", args=[task.pk]))
        self.assertContains(response, "买一盒布洛芬")
        self.assertNotContains(response, "张三")
        self.assertEqual(self.client.get(url("request_detail", help_request)).status_code, 404)
        self.client.post(reverse("helpdesk:task_done", args=[task.pk]))
        task.refresh_from_db()
        self.assertIsNotNone(task.done_at)


class SensitiveTests(BaseTestCase):
    def test_every_staff_read_of_a_psychological_request_is_audited(self):
        help_request = make_request(self.student, category="psychological", text="很焦虑，睡不着")
        self.login(self.leader)
        self.client.get(url("request_detail", help_request))
        self.assertEqual(access_log_for(help_request).count(), 1)
        self.assertEqual(access_log_for(help_request).get().kind, "helpdesk.request_viewed")

    def test_leaders_lists_and_overview_do_not_show_the_description(self):
        make_request(self.student, category="psychological", text="很焦虑，睡不着")
        self.login(self.leader)
        self.assertNotContains(self.client.get(reverse("helpdesk:request_list")), "很焦虑")
        self.assertNotContains(self.client.get(reverse("helpdesk:overview")), "很焦虑")
