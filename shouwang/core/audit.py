"""Audit rows for sensitive reads and actions, stored in django-auditlog's log.

Changes to registered models are logged by auditlog itself; this module adds
what auditlog cannot see: that someone *looked* (a person's page, a revealed
phone number, an export) and workflow actions with their context.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models import Model
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_access(request: HttpRequest, obj: Model, what: str, **data: Any) -> LogEntry:
    """Record that request.user read `obj` (`what`: which view of it, e.g. "person_page")."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=client_ip(request),
        changes_text=what,
        additional_data={"what": what, **data},
    )


def audit_action(actor, obj: Model, what: str, request: HttpRequest | None = None, **data: Any):
    """Record a workflow action on `obj` by `actor` (an import committed, a password reset)."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        remote_addr=client_ip(request),
        changes_text=what,
        additional_data={"what": what, **data},
    )


def access_log_for(obj: Model):
    """Who looked at `obj`, newest first."""
    return LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.ACCESS)
