"""Audit rows for sensitive reads and actions, stored in django-auditlog's log
(core.LogEntry, auditlog's entry with the indexes its readers use).

Changes to registered models are logged by auditlog itself; this module adds
what auditlog cannot see: that someone *looked* (a person's page, a revealed
phone number, an export) and workflow actions with their context.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from auditlog import middleware
from auditlog.cid import get_cid, set_cid
from auditlog.context import _set_extra_data, auditlog_value
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.signals import pre_save
from django.http import HttpRequest
from django.utils.encoding import smart_str

from shouwang.lib import clock
from shouwang.lib.client import client_address

from .db import insert_fields, insert_row
from .models import LogEntry

# Names the receiver below, and the requests' context it serves.
SIGNAL_DUID = ("shouwang.core.audit", "request")


class AuditlogMiddleware(middleware.AuditlogMiddleware):
    """auditlog's middleware: auditlog's own rows (changes to registered
    models) get the request's user and address. auditlog connects a receiver
    for this around every request, and connecting and disconnecting it cost the
    check-in more than its audit row (docs/performance.md); this one is
    connected once, by `connect_receiver()`, and the request's context reset
    when the request ends."""

    @staticmethod
    def _get_remote_addr(request):
        # auditlog believes the left-most X-Forwarded-For, which the visitor writes.
        return client_address(request)

    def __call__(self, request):
        set_cid(request)
        context = self.get_extra_data(request)
        context["signal_duid"] = SIGNAL_DUID
        token = auditlog_value.set(context)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)


def connect_receiver() -> None:
    """Connect, once, auditlog's receiver for the middleware's context."""
    receiver = partial(_set_extra_data, signal_duid=SIGNAL_DUID)
    pre_save.connect(receiver, sender=LogEntry, dispatch_uid=SIGNAL_DUID, weak=False)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request)


def audit_access(request: HttpRequest, obj: Model, what: str, **data: Any) -> int:
    """Record that request.user read `obj` (`what`: which view of it, e.g.
    "person_page"); returns the log entry's primary key."""
    actor = request.user if request.user.is_authenticated else None
    return insert_row(LogEntry, _entry(LogEntry.Action.ACCESS, actor, obj, what, request, data))


def audit_action(
    actor, obj: Model, what: str, request: HttpRequest | None = None, **data: Any
) -> int:
    """Record a workflow action on `obj` by `actor` (an import committed, a
    password reset); returns the log entry's primary key."""
    return insert_row(LogEntry, _entry(LogEntry.Action.UPDATE, actor, obj, what, request, data))


class PreparedAction:
    """audit_action's row, worked out before a transaction begins and written
    inside it by `write()`, once `obj` has its primary key: the write lock is
    held for the INSERT alone (core.db.Insert says why)."""

    def __init__(self, actor, obj: Model, what: str, **data: Any):
        self.obj = obj
        self.values = _entry(LogEntry.Action.UPDATE, actor, obj, what, None, data)

    def write(self) -> int:
        pk = self.obj.pk
        self.values[_OBJECT_PK] = str(pk)
        self.values[_OBJECT_ID] = pk if isinstance(pk, int) else None
        return insert_row(LogEntry, self.values)


# The log entry's columns in the INSERT's order, and where the object's key goes.
_FIELDS = insert_fields(LogEntry)
_NAMES = [f.attname for f in _FIELDS]
_OBJECT_PK, _OBJECT_ID = _NAMES.index("object_pk"), _NAMES.index("object_id")
# The fields whose values the database driver takes as they are (text, numbers
# and NULL); the others (the time, the JSON, the address) are converted for the
# database by the field, as the ORM would.
_AS_IS = {
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "cid",
    "remote_port",
    "actor_email",
}


def _entry(action: int, actor, obj: Model, what: str, request, data: dict) -> list:
    # What auditlog's log_create and its middleware's signal would fill in, as
    # the values of one plain INSERT: every check-in writes one of these inside
    # its transaction, and making a LogEntry and converting its fields one by
    # one cost more than the INSERT (core.db and docs/performance.md say why).
    context = auditlog_value.get({})
    pk = obj.pk
    row = {
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "object_pk": str(pk),
        "object_id": pk if isinstance(pk, int) else None,
        "object_repr": smart_str(obj),
        "serialized_data": None,
        "action": action,
        "changes_text": what,
        "changes": None,
        "actor_id": actor.pk if actor is not None else None,
        "cid": get_cid(),
        "remote_addr": client_ip(request) or context.get("remote_addr"),
        "remote_port": None if request else context.get("remote_port"),
        # The demo's clock, so that its audit log reads in the demo's day.
        "timestamp": clock.now(),
        "additional_data": {"what": what, **data},
        "actor_email": getattr(actor, "email", None) or None,
    }
    connection = connections[router.db_for_write(LogEntry)]
    return [
        row[name] if name in _AS_IS else field.get_db_prep_save(row[name], connection)
        for name, field in zip(_NAMES, _FIELDS, strict=True)
    ]


def access_log_for(obj: Model):
    """Who looked at `obj`, newest first."""
    return LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.ACCESS)


# Models whose rows only their own app shows (counselling's referrals): the
# log's general views leave them out, count and filters included.
_PRIVATE_MODELS: set[type[Model]] = set()


def keep_out_of_log_views(*models: type[Model]) -> None:
    """Called by an app's ready(): the audit log's views never show these models' rows."""
    _PRIVATE_MODELS.update(models)


def shown_log_entries(entries: QuerySet[LogEntry] | None = None) -> QuerySet[LogEntry]:
    """The log entries (of `entries`, or all) a general view of the log may show."""
    private = ContentType.objects.get_for_models(*_PRIVATE_MODELS).values()
    if entries is None:
        entries = LogEntry.objects.all()
    return entries.exclude(content_type__in=[ct.pk for ct in private])
