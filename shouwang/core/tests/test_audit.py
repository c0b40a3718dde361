"""The audit rows core.audit writes itself, with one plain INSERT each, read
back through auditlog's model as the log's readers see them."""

from auditlog.cid import get_cid
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from shouwang.core.audit import AuditlogMiddleware, access_log_for, audit_access, audit_action
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.test import BaseTestCase, query_plan


class AuditRowTests(BaseTestCase):
    def test_a_read_names_who_looked_at_whom_from_where_and_why(self):
        self.counsellor_a_user.email = "s1009@example.edu.cn"
        self.counsellor_a_user.save()
        request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
        request.user = self.counsellor_a_user
        before = clock.now()
        entry = LogEntry.objects.get(
            pk=audit_access(request, self.student_a, "person_page", tab="checkins")
        )
        self.assertEqual(entry.action, LogEntry.Action.ACCESS)
        self.assertEqual(entry.content_type, ContentType.objects.get_for_model(self.student_a))
        pk = self.student_a.pk
        self.assertEqual((entry.object_pk, entry.object_id), (str(pk), pk))
        self.assertEqual(entry.object_repr, str(self.student_a))
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.actor_email, "s1009@example.edu.cn")
        self.assertEqual(entry.remote_addr, "10.1.2.3")
        self.assertEqual(entry.changes_text, "person_page")
        self.assertEqual(entry.additional_data, {"what": "person_page", "tab": "checkins"})
        self.assertIsNone(entry.changes)
        self.assertTrue(before <= entry.timestamp <= clock.now())
        # Found where auditlog looks for an object's log.
        self.assertEqual(list(access_log_for(self.student_a)), [entry])

    def test_an_action_in_a_request_takes_its_address_and_correlation_id(self):
        request = RequestFactory().post("/", REMOTE_ADDR="10.4.5.6")
        request.user = self.student
        found = {}

        def work():
            found["pk"] = audit_action(self.student, self.student_a, "checkin", created=True)
            found["cid"] = get_cid()

        AuditlogMiddleware(lambda request: work() or HttpResponse())(request)
        entry = LogEntry.objects.get(pk=found["pk"])
        self.assertEqual(entry.action, LogEntry.Action.UPDATE)
        self.assertEqual(entry.actor, self.student)
        self.assertIsNone(entry.actor_email)
        self.assertEqual(entry.remote_addr, "10.4.5.6")
        self.assertEqual(entry.cid, found["cid"])
        self.assertEqual(entry.additional_data, {"what": "checkin", "created": True})

    def test_an_action_outside_a_request_names_no_address(self):
        entry = LogEntry.objects.get(pk=audit_action(None, self.class_a, "imported"))
        self.assertIsNone(entry.actor)
        self.assertIsNone(entry.remote_addr)
        self.assertEqual(entry.object_repr, str(self.class_a))


class LogEntryIndexTests(BaseTestCase):
    """The log is read by object, by actor and by time: each of those uses an
    index, and nothing else is indexed (each index is a page every audited
    action writes)."""

    def assert_indexed(self, queryset) -> str:
        plan = query_plan(queryset)
        # A scan of the table itself; "SCAN … USING INDEX" reads an index in order.
        self.assertNotRegex(plan, r"SCAN core_logentry(?! USING)|Seq Scan on core_logentry")
        return plan

    def test_an_objects_history_a_persons_actions_and_a_period_use_an_index(self):
        self.assert_indexed(LogEntry.objects.get_for_object(self.student_a))
        self.assert_indexed(LogEntry.objects.filter(actor=self.counsellor_a_user))
        self.assert_indexed(LogEntry.objects.filter(timestamp__gte=clock.now()))
        # The admin's list, newest first, reads the time's index backwards.
        plan = self.assert_indexed(LogEntry.objects.all()[:100])
        self.assertNotRegex(plan, r"TEMP B-TREE|Sort")

    def test_only_those_are_indexed(self):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, LogEntry._meta.db_table)
        indexed = sorted(
            c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]
        )
        self.assertEqual(indexed, [["actor_id"], ["content_type_id", "object_id"], ["timestamp"]])
