"""The audit log's entries: what `audit.record` writes, the kinds it accepts,
and how the log's readers find them."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from shouwang.checkins.audit import CheckinEvent
from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.people.audit import PeopleEvent
from shouwang.people.models import AdminClass
from shouwang.test import BaseTestCase, query_plan


class RecordTests(BaseTestCase):
    def test_a_read_names_who_looked_at_whom_from_where_and_why(self):
        self.counsellor_a_user.email = "s1009@example.edu.cn"
        self.counsellor_a_user.save()
        request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
        before = clock.now()
        entry = audit.record(
            PeopleEvent.PERSON_VIEWED,
            self.student_a,
            acting_user=self.counsellor_a_user,
            request=request,
            tab="checkins",
        )
        entry = LogEntry.objects.get(pk=entry.pk)
        self.assertEqual(entry.kind, "people.person_viewed")
        self.assertEqual(entry.content_type, ContentType.objects.get_for_model(self.student_a))
        pk = self.student_a.pk
        self.assertEqual((entry.object_pk, entry.object_id), (str(pk), pk))
        self.assertEqual(entry.object_repr, str(self.student_a))
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.actor_email, "s1009@example.edu.cn")
        self.assertEqual(entry.remote_addr, "10.1.2.3")
        self.assertEqual(entry.additional_data, {"tab": "checkins"})
        self.assertTrue(before <= entry.timestamp <= clock.now())
        self.assertEqual(list(audit.access_log_for(self.student_a)), [entry])

    def test_an_action_is_not_a_read(self):
        audit.record(CheckinEvent.SUBMITTED, self.student_a, acting_user=self.student)
        self.assertTrue(LogEntry.objects.get_for_object(self.student_a).exists())
        self.assertFalse(audit.access_log_for(self.student_a).exists())

    def test_an_entry_in_a_request_takes_its_address_without_being_given_it(self):
        request = RequestFactory().post("/", REMOTE_ADDR="10.4.5.6")
        found = []

        def view(request):
            entry = audit.record(CheckinEvent.SUBMITTED, self.student_a, acting_user=self.student)
            found.append(entry)
            return HttpResponse()

        audit.AuditMiddleware(view)(request)
        entry = LogEntry.objects.get(pk=found[0].pk)
        self.assertEqual((entry.actor, entry.actor_email), (self.student, None))
        self.assertEqual(entry.remote_addr, "10.4.5.6")

    def test_an_entry_outside_a_request_names_no_address(self):
        request = RequestFactory().post("/", REMOTE_ADDR="10.4.5.6")
        audit.AuditMiddleware(lambda request: HttpResponse())(request)
        entry = audit.record(PeopleEvent.CLASS_CHANGED, self.class_a, acting_user=None)
        self.assertIsNone(entry.actor)
        self.assertIsNone(LogEntry.objects.get(pk=entry.pk).remote_addr)
        self.assertEqual(entry.object_repr, str(self.class_a))

    def test_a_kind_no_app_registered_is_refused(self):
        for kind in ("checkin", "people.no_such_event", "", None):
            with self.subTest(kind=kind), self.assertRaises(audit.UnknownKind):
                audit.record(kind, self.student_a, acting_user=self.student)  # type: ignore[arg-type]
        self.assertFalse(LogEntry.objects.exists())

    def test_a_code_names_its_kind(self):
        self.assertIs(audit.kind_of("people.mobile_viewed"), PeopleEvent.MOBILE_VIEWED)
        entry = audit.record("people.mobile_viewed", self.student_a, acting_user=self.student)
        self.assertEqual(entry.kind, "people.mobile_viewed")

    def test_many_entries_of_one_kind_at_once(self):
        entries = audit.record_many(
            PeopleEvent.PERSON_CHANGED,
            [(self.student_a, {"changes": {"name": ["张三", "张叁"]}}), (self.student_b, {})],
            acting_user=self.admin,
        )
        self.assertEqual(len(entries), 2)
        entry = LogEntry.objects.get_for_object(self.student_a).get()
        self.assertEqual((entry.kind, entry.actor), ("people.person_changed", self.admin))
        self.assertEqual(entry.additional_data, {"changes": {"name": ["张三", "张叁"]}})
        self.assertTrue(LogEntry.objects.get_for_object(self.student_b).exists())


class RegistryTests(BaseTestCase):
    def test_every_kind_is_named_after_its_app_and_named_in_chinese(self):
        kinds = audit.kinds()
        self.assertIn("checkins.submitted", kinds)
        self.assertIn("people.mobile_viewed", kinds)
        with translation.override("zh-hans"):
            for code, kind in kinds.items():
                with self.subTest(code=code):
                    app, _dot, event = code.partition(".")
                    self.assertRegex(app, r"^[a-z]+$")
                    self.assertRegex(event, r"^[a-z_]+$")
                    # Translated: the label's Chinese is not its English.
                    self.assertRegex(str(kind.label), r"[\u4e00-\u9fff]")

    def test_an_entry_names_its_kind_in_the_users_language(self):
        entry = audit.record(PeopleEvent.MOBILE_VIEWED, self.student_a, acting_user=self.student)
        with translation.override("zh-hans"):
            self.assertEqual(entry.kind_label, "查看手机号")
        # An entry of a kind no app declares any longer shows its code.
        self.assertEqual(LogEntry(kind="people.gone").kind_label, "people.gone")


class PreparedEntryTests(BaseTestCase):
    def test_an_entry_prepared_before_its_object_is_stored_names_it_once_written(self):
        admin_class = AdminClass(name="计科2003")
        prepared = audit.prepare(
            PeopleEvent.CLASS_CREATED, admin_class, acting_user=self.admin, unit="信息学院"
        )
        self.assertFalse(LogEntry.objects.exists())
        admin_class.save()
        entry = LogEntry.objects.get(pk=prepared.write().pk)
        pk = admin_class.pk
        self.assertEqual((entry.object_pk, entry.object_id), (str(pk), pk))
        self.assertEqual((entry.kind, entry.actor), ("people.class_created", self.admin))
        self.assertEqual(entry.additional_data, {"unit": "信息学院"})


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
        self.assert_indexed(audit.access_log_for(self.student_a))
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
