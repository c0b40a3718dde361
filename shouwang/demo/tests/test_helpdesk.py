from django.test import TestCase

from shouwang.accounts.models import Role
from shouwang.demo import build
from shouwang.demo.models import DemoLogin
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent


class DemoHelpdeskTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build.build()

    def test_every_request_has_an_owner_and_a_history(self):
        requests = HelpRequest.objects.all()
        self.assertGreaterEqual(requests.count(), 10)
        self.assertFalse(requests.filter(handler__isnull=True).exists())
        for help_request in requests:
            kinds = list(help_request.events.values_list("kind", flat=True))
            self.assertEqual(
                kinds[:2], [HelpRequestEvent.Kind.SUBMITTED, HelpRequestEvent.Kind.ASSIGNED]
            )

    def test_it_has_solved_open_reopened_and_auto_closed_requests(self):
        statuses = set(HelpRequest.objects.values_list("status", flat=True))
        self.assertTrue({"confirmed", "resolved", "submitted", "closed"} <= statuses)
        self.assertTrue(
            HelpRequestEvent.objects.filter(kind=HelpRequestEvent.Kind.REOPENED).exists()
        )
        self.assertTrue(HelpRequestEvent.objects.filter(kind=HelpRequestEvent.Kind.TASK).exists())

    def test_the_student_login_has_a_resolution_to_confirm(self):
        student = DemoLogin.objects.get(role=Role.STUDENT).user.person
        self.assertTrue(HelpRequest.objects.filter(requester=student, status="resolved").exists())
