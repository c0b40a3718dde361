"""auditlog's own rows (changes to registered models) name the request's user
and address, through the receiver connected once for every request."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from shouwang.core.audit import AuditlogMiddleware
from shouwang.core.models import LogEntry
from shouwang.test import BaseTestCase


class AuditlogMiddlewareTests(BaseTestCase):
    def rename_class(self, name: str) -> LogEntry:
        self.class_a.name = name
        self.class_a.save()
        return LogEntry.objects.get_for_object(self.class_a).latest("pk")

    def request(self, user, work):
        request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
        request.user = user
        return AuditlogMiddleware(lambda request: work() or HttpResponse())(request)

    def test_a_change_made_in_a_request_names_its_user_and_address(self):
        found = []
        self.request(self.counsellor_a_user, lambda: found.append(self.rename_class("计科2001班")))
        entry = found[0]
        self.assertEqual(entry.action, LogEntry.Action.UPDATE)
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.remote_addr, "10.1.2.3")

    def test_a_change_after_the_request_names_nobody(self):
        self.request(self.counsellor_a_user, lambda: self.rename_class("计科2001班"))
        entry = self.rename_class("计科2002班")
        self.assertIsNone(entry.actor)
        self.assertIsNone(entry.remote_addr)

    def test_an_anonymous_request_names_nobody_but_keeps_the_address(self):
        found = []
        self.request(AnonymousUser(), lambda: found.append(self.rename_class("计科2003班")))
        self.assertIsNone(found[0].actor)
        self.assertEqual(found[0].remote_addr, "10.1.2.3")

    def test_requests_one_after_another_each_name_their_own_user(self):
        found: list[LogEntry] = []
        for user in (self.counsellor_a_user, self.leader):
            self.request(user, lambda: found.append(self.rename_class(f"班{len(found)}")))
        self.assertEqual([e.actor for e in found], [self.counsellor_a_user, self.leader])
