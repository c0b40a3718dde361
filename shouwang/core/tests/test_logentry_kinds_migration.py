"""The log's entries written before kinds were registered keep their meaning:
every code the app wrote becomes its kind, and what django-auditlog's columns
held moves into the entry's data."""

import importlib

from django.contrib.contenttypes.models import ContentType
from django.test import SimpleTestCase

from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.people.models import AdminClass, Person
from shouwang.test import MigrationTestCase

BEFORE = [("core", "0004_background_jobs")]
AFTER = [("core", "0005_logentry_kinds")]
migration = importlib.import_module("shouwang.core.migrations.0005_logentry_kinds")

# Every code the app wrote before (audit_access and audit_action), reads first.
READ_CODES = [
    "person_page",
    "mobile",
    "flag_detail",
    "timeline",
    "missing_list",
    "missing_export",
    "referral_list",
    "referral_page",
    "letter_page",
    "isolation",
    "help_request_page",
    "help_request_attachment",
    "service_report",
]
ACTION_CODES = [
    "checkin",
    "privacy_accepted",
    "checkin_detail_purged",
    "flag_action",
    "risk_region_marked",
    "risk_region_unmarked",
    "incident_opened",
    "regime_changed",
    "incident_closed",
    "plan_task_done",
    "plan_task_assigned",
    "plan_task_added",
    "meeting_recorded",
    "referral_made",
    "referral_consent",
    "referral_note",
    "referral_taken",
    "referral_closed",
    "article_created",
    "article_changed",
    "article_published",
    "article_unpublished",
    "image_added",
    "attachment_added",
    "file_removed",
    "letter_answered",
    "isolation_placed",
    "isolation_ended",
    "delivery_confirmed",
    "delivery_problem",
    "delivery_handled",
    "care_contact",
    "help_request_submitted",
    "help_request_claimed",
    "help_request_note",
    "help_request_reply",
    "help_request_status",
    "help_request_confirmed",
    "help_request_reopened",
    "help_request_reassigned",
    "help_task_added",
    "help_task_done",
    "notice_written",
    "notice_published",
    "notice_reminded",
    "role_granted",
    "role_removed",
    "initial_passwords_issued",
    "initial_passwords_sheet_downloaded",
    "initial_passwords_slips_downloaded",
    "shift_added",
    "shift_signed_up",
    "shift_withdrawn",
    "shift_checked_in",
    "shift_checked_out",
    "duty_recorded",
    "service_reported",
    "service_approved",
    "service_returned",
    "roster_commit",
    "unit_created",
    "assistant_counsellor_marked",
    "assistant_counsellor_unmarked",
    "counsellor_set",
    "initial_password",
    "roster_defaults",
    "roster_export",
]
CREATE, UPDATE, DELETE, ACCESS = 0, 1, 2, 3


class MappingTests(SimpleTestCase):
    def test_every_old_code_becomes_one_registered_kind_of_its_own(self):
        for code in READ_CODES + ACTION_CODES:
            with self.subTest(code=code):
                kind = audit.kind_of(migration.kind_for(code, "", UPDATE))
                self.assertEqual(kind.read, code in READ_CODES)
        kinds = [migration.KINDS[code] for code in READ_CODES + ACTION_CODES]
        self.assertEqual(len(set(kinds)), len(kinds))

    def test_auditlogs_own_entries_become_changes_to_people_and_classes(self):
        for (model, action), kind in migration.CHANGES.items():
            with self.subTest(model=model, action=action):
                self.assertEqual(migration.kind_for("", model, action), kind)
                self.assertFalse(audit.kind_of(kind).read)


class KindsMigrationTestCase(MigrationTestCase):
    def old_entry(self, OldEntry, model, pk, code, action, **fields):
        data = {"what": code, "n": pk} if code else None
        return OldEntry.objects.create(
            content_type_id=ContentType.objects.get_for_model(model).pk,
            object_pk=str(pk),
            object_id=pk,
            object_repr=f"#{pk}",
            changes_text=code,
            action=action,
            additional_data=data,
            **fields,
        )

    def test_each_entry_keeps_its_meaning_and_comes_back_unchanged(self):
        OldEntry = self.migrate(BEFORE).get_model("core", "LogEntry")
        for pk, code in enumerate(READ_CODES + ACTION_CODES):
            self.old_entry(OldEntry, Person, pk, code, ACCESS if code in READ_CODES else UPDATE)
        changed = {"name": ["张三", "张叁"], "mobile": ["***", "***"]}
        self.old_entry(OldEntry, Person, 900, "", UPDATE, changes=changed, cid="c-1")
        self.old_entry(OldEntry, AdminClass, 901, "", CREATE, changes={"name": [None, "计科"]})
        self.old_entry(OldEntry, Person, 902, "", DELETE, changes={}, remote_port=443)
        self.old_entry(OldEntry, Person, 903, "imported", CREATE)
        before = self.rows(OldEntry)

        self.migrate(AFTER)
        for pk, code in enumerate(READ_CODES + ACTION_CODES):
            entry = LogEntry.objects.get(object_id=pk)
            self.assertEqual(
                (entry.kind, entry.additional_data), (migration.KINDS[code], {"n": pk})
            )
        person_type = ContentType.objects.get_for_model(Person)
        self.assertEqual(
            {e.kind for e in LogEntry.objects.filter(content_type=person_type).reads()},
            {migration.KINDS[code] for code in READ_CODES},
        )
        change = LogEntry.objects.get(object_id=900)
        self.assertEqual(change.kind, "people.person_changed")
        self.assertEqual(change.additional_data, {"changes": changed, "cid": "c-1"})
        created = LogEntry.objects.get(object_id=901)
        self.assertEqual(created.kind, "people.class_created")
        self.assertEqual(created.additional_data, {"changes": {"name": [None, "计科"]}})
        deleted = LogEntry.objects.get(object_id=902)
        self.assertEqual(deleted.kind, "people.person_deleted")
        self.assertEqual(deleted.additional_data, {"changes": {}, "remote_port": 443})
        unknown = LogEntry.objects.get(object_id=903)
        self.assertEqual(unknown.kind, "imported")
        self.assertEqual(unknown.additional_data, {"n": 903, "action": "create"})
        self.assertEqual(unknown.kind_label, "imported")

        self.assertEqual(self.rows(self.migrate(BEFORE).get_model("core", "LogEntry")), before)

    def rows(self, OldEntry) -> list[tuple]:
        fields = ["object_id", "changes_text", "action", "additional_data", "changes"]
        fields += ["cid", "remote_port"]
        return list(OldEntry.objects.order_by("object_id").values_list(*fields))
