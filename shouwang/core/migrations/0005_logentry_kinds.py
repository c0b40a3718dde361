"""The log entry becomes the app's own: each entry's kind is a registered code
("people.mobile_viewed"), and what django-auditlog's columns held moves into
the entry's data.

Before, an entry's code was free text, kept twice (`changes_text` and the
data's "what"), and whether it was a read was the `action` column; the entries
auditlog wrote itself (changes to people and classes) had no code, their
fields in `changes`. Every code the app wrote is mapped to its kind; a code
not known here keeps its text, its action in the data.
"""

from django.db import migrations, models
from django.db.models import Case, F, Func, JSONField, Q, Value, When

# Every code the app wrote, and its kind now.
KINDS = {
    "checkin": "checkins.submitted",
    "privacy_accepted": "checkins.privacy_accepted",
    "checkin_detail_purged": "checkins.details_purged",
    "flag_detail": "screening.flag_viewed",
    "timeline": "screening.timeline_viewed",
    "flag_action": "screening.flag_action",
    "risk_region_marked": "screening.risky_region_marked",
    "risk_region_unmarked": "screening.risky_region_unmarked",
    "missing_list": "compliance.missing_list_viewed",
    "missing_export": "compliance.missing_list_exported",
    "incident_opened": "incidents.opened",
    "regime_changed": "incidents.regime_changed",
    "incident_closed": "incidents.closed",
    "plan_task_added": "incidents.task_added",
    "plan_task_assigned": "incidents.task_assigned",
    "plan_task_done": "incidents.task_done",
    "meeting_recorded": "incidents.meeting_recorded",
    "referral_list": "counselling.referral_listed",
    "referral_page": "counselling.referral_viewed",
    "referral_made": "counselling.referral_made",
    "referral_consent": "counselling.consent_recorded",
    "referral_note": "counselling.note_added",
    "referral_taken": "counselling.referral_taken",
    "referral_closed": "counselling.referral_closed",
    "article_created": "bulletin.article_created",
    "article_changed": "bulletin.article_changed",
    "article_published": "bulletin.article_published",
    "article_unpublished": "bulletin.article_unpublished",
    "image_added": "bulletin.image_added",
    "attachment_added": "bulletin.attachment_added",
    "file_removed": "bulletin.file_removed",
    "letter_page": "bulletin.letter_viewed",
    "letter_answered": "bulletin.letter_answered",
    "isolation": "care.isolation_viewed",
    "isolation_placed": "care.isolation_placed",
    "isolation_ended": "care.isolation_ended",
    "delivery_confirmed": "care.delivery_confirmed",
    "delivery_problem": "care.delivery_problem",
    "delivery_handled": "care.delivery_handled",
    "care_contact": "care.contact_recorded",
    "help_request_page": "helpdesk.request_viewed",
    "help_request_attachment": "helpdesk.attachment_downloaded",
    "help_request_submitted": "helpdesk.request_submitted",
    "help_request_claimed": "helpdesk.request_claimed",
    "help_request_note": "helpdesk.note_added",
    "help_request_reply": "helpdesk.reply_sent",
    "help_request_status": "helpdesk.status_changed",
    "help_request_confirmed": "helpdesk.request_confirmed",
    "help_request_reopened": "helpdesk.request_reopened",
    "help_request_reassigned": "helpdesk.request_reassigned",
    "help_task_added": "helpdesk.task_added",
    "help_task_done": "helpdesk.task_done",
    "notice_written": "notices.written",
    "notice_published": "notices.published",
    "notice_reminded": "notices.reminded",
    "role_granted": "accounts.role_granted",
    "role_removed": "accounts.role_removed",
    "initial_passwords_issued": "accounts.passwords_issued",
    "initial_passwords_sheet_downloaded": "accounts.password_sheet_downloaded",
    "initial_passwords_slips_downloaded": "accounts.password_slips_downloaded",
    "shift_added": "volunteers.shift_added",
    "shift_signed_up": "volunteers.signed_up",
    "shift_withdrawn": "volunteers.withdrawn",
    "shift_checked_in": "volunteers.checked_in",
    "shift_checked_out": "volunteers.checked_out",
    "duty_recorded": "volunteers.duty_recorded",
    "service_reported": "volunteers.service_reported",
    "service_report": "volunteers.service_report_viewed",
    "service_approved": "volunteers.service_approved",
    "service_returned": "volunteers.service_returned",
    "person_page": "people.person_viewed",
    "mobile": "people.mobile_viewed",
    "initial_password": "people.initial_password_issued",
    "roster_commit": "people.roster_committed",
    "roster_defaults": "people.roster_defaults_chosen",
    "roster_export": "people.roster_exported",
    "unit_created": "people.unit_created",
    "assistant_counsellor_marked": "people.assistant_counsellor_marked",
    "assistant_counsellor_unmarked": "people.assistant_counsellor_unmarked",
    "counsellor_set": "people.counsellor_set",
}
# auditlog's actions; the codes above that were reads (ACCESS), the rest UPDATE.
CREATE, UPDATE, DELETE, ACCESS = 0, 1, 2, 3
ACTIONS = {CREATE: "create", UPDATE: "update", DELETE: "delete", ACCESS: "access"}
READS = {
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
    "person_page",
    "mobile",
}
# The entries auditlog wrote for the two models registered with it.
CHANGES = {
    ("person", CREATE): "people.person_created",
    ("person", UPDATE): "people.person_changed",
    ("person", DELETE): "people.person_deleted",
    ("adminclass", CREATE): "people.class_created",
    ("adminclass", UPDATE): "people.class_changed",
    ("adminclass", DELETE): "people.class_deleted",
}
# auditlog's columns that go: a value in one moves into the data, under its name.
MOVED = ("changes", "cid", "remote_port", "serialized_data")


def kind_for(code: str, model: str, action: int) -> str:
    """The kind of an entry written with `code` about a `model` by `action`."""
    if code:
        return KINDS.get(code, code)
    return CHANGES.get((model, action), code)


class WithoutWhat(Func):
    """The entry's data less its "what", the code it repeated."""

    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="json_remove(%(expressions)s, '$.what')")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - 'what')")


def to_kinds(apps, schema_editor):
    LogEntry = apps.get_model("core", "LogEntry")
    # The few entries with a value in auditlog's other columns, and its own.
    moved = Q(kind="") | Q(cid__isnull=False) | Q(remote_port__isnull=False)
    for entry in LogEntry.objects.filter(moved | Q(serialized_data__isnull=False)).iterator():
        data = entry.additional_data or {}
        for column in MOVED:
            if getattr(entry, column) is not None:
                data[column] = getattr(entry, column)
        if not entry.kind:
            entry.kind = kind_for("", entry.content_type.model, entry.action)
        entry.additional_data = data
        entry.save(update_fields=["kind", "additional_data"])
    # The many in one statement, one pass: a check-in wrote one a day for each student.
    LogEntry.objects.filter(kind__in=KINDS).update(
        kind=Case(*[When(kind=code, then=Value(kind)) for code, kind in KINDS.items()]),
        additional_data=WithoutWhat(F("additional_data")),
    )
    known = [*KINDS.values(), *CHANGES.values()]
    for entry in LogEntry.objects.exclude(kind__in=known).iterator():
        data = entry.additional_data or {}
        data.pop("what", None)
        entry.additional_data = {**data, "action": ACTIONS[entry.action]}
        entry.save(update_fields=["additional_data"])


def from_kinds(apps, schema_editor):
    LogEntry = apps.get_model("core", "LogEntry")
    codes = {kind: code for code, kind in KINDS.items()}
    changes = {kind: key for key, kind in CHANGES.items()}
    actions = {label: action for action, label in ACTIONS.items()}
    for entry in LogEntry.objects.iterator():
        data = entry.additional_data or {}
        for column in MOVED:
            setattr(entry, column, data.pop(column, None))
        if entry.kind in codes:
            code = codes[entry.kind]
            entry.kind, entry.action = code, ACCESS if code in READS else UPDATE
            data = {"what": code, **data}
        elif entry.kind in changes:
            entry.kind, entry.action = "", changes[entry.kind][1]
        else:
            entry.action = actions[data.pop("action", "update")]
            if entry.kind:
                data = {"what": entry.kind, **data}
        entry.additional_data = data or None
        entry.save()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_background_jobs"),
    ]

    operations = [
        migrations.RenameField("logentry", "changes_text", "kind"),
        # A default for the columns that go, so that they can come back.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="logentry",
                    name="action",
                    field=models.PositiveSmallIntegerField(default=UPDATE, verbose_name="action"),
                ),
            ],
        ),
        migrations.RunPython(to_kinds, from_kinds),
        migrations.RemoveField("logentry", "action"),
        migrations.RemoveField("logentry", "changes"),
        migrations.RemoveField("logentry", "cid"),
        migrations.RemoveField("logentry", "remote_port"),
        migrations.RemoveField("logentry", "serialized_data"),
        migrations.AlterField(
            model_name="logentry",
            name="kind",
            field=models.TextField(verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="logentry",
            name="object_repr",
            field=models.TextField(verbose_name="object"),
        ),
        migrations.AlterField(
            model_name="logentry",
            name="additional_data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
    ]
