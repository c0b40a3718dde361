"""The audit log: who did or read what, to which record, from where and when.

Every app declares the kinds of event it records as an enumeration of `Kind`,
in its own `audit.py`, with codes named after the app ("people.mobile_viewed")
and labels in English, translated: those enumerations are the one registry of
kinds, which the log's admin reads to show each entry's kind in Chinese. A
kind is a read (someone looked: a person's page, a revealed phone number, an
export) or an action (a check-in, an import committed, a role granted).

`record()` writes an entry; `prepare()` works one out before a transaction
begins, for a hot path that holds a write lock. A kind nobody registered is
refused: an entry's kind is always one the admin can name.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.encoding import smart_str

from shouwang.lib import clock
from shouwang.lib.client import client_address

from .audit_kinds import READ, Kind, UnknownKind, kind_of, kinds
from .db import Insert
from .models import LogEntry

__all__ = [
    "READ",
    "AuditMiddleware",
    "Kind",
    "PreparedEntry",
    "UnknownKind",
    "access_log_for",
    "keep_out_of_log_views",
    "kind_of",
    "kinds",
    "prepare",
    "record",
    "record_many",
    "shown_log_entries",
]

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpResponse


# The request being answered, for entries written without it at hand (the
# check-in's, the help desk's): they are given its client address.
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditMiddleware:
    """Makes the request being answered known to `record()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def record(
    kind: Kind | str,
    obj: Model,
    /,
    *,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
    **data: Any,
) -> LogEntry:
    """Write that `acting_user` did or read `kind` to `obj`, with `data` (JSON).

    `request` defaults to the one being answered; an entry written outside any
    request (a task, a command) names no address."""
    entry = _entry(kind_of(kind), obj, acting_user, request, data)
    entry.save(force_insert=True)
    return entry


def record_many(
    kind: Kind | str,
    items: Iterable[tuple[Model, dict[str, Any]]],
    /,
    *,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> list[LogEntry]:
    """`record()` for each (object, data) of `items`, in one statement per thousand."""
    kind = kind_of(kind)
    entries = [_entry(kind, obj, acting_user, request, data) for obj, data in items]
    return LogEntry.objects.bulk_create(entries, batch_size=1000)


class PreparedEntry:
    """An entry worked out before a transaction begins and written inside it
    by `write()`, once its object has a primary key: the transaction, which
    holds SQLite's one write lock, spends it on the INSERT alone."""

    def __init__(self, entry: LogEntry, obj: Model):
        self.obj = obj
        self.row = Insert(entry)

    def write(self) -> LogEntry:
        pk = self.obj.pk
        self.row.set(object_pk=str(pk), object_id=pk if isinstance(pk, int) else None)
        self.row.run()
        return self.row.instance  # type: ignore[return-value]


def prepare(
    kind: Kind | str,
    obj: Model,
    /,
    *,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
    **data: Any,
) -> PreparedEntry:
    """`record()`'s entry, to be written later by `write()`."""
    return PreparedEntry(_entry(kind_of(kind), obj, acting_user, request, data), obj)


def _entry(
    kind: Kind,
    obj: Model,
    actor: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None,
    data: dict[str, Any],
) -> LogEntry:
    request = request or _request.get()
    pk = obj.pk
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=smart_str(obj),
        kind=kind.value,
        actor_id=actor.pk if actor is not None else None,
        actor_email=getattr(actor, "email", None) or None,
        remote_addr=client_address(request) if request is not None else None,
        # The demo's clock, so that its log reads in the demo's day.
        timestamp=clock.now(),
        additional_data=data,
    )


def access_log_for(obj: Model) -> QuerySet[LogEntry]:
    """Who looked at `obj`, newest first."""
    return LogEntry.objects.get_for_object(obj).reads()


# Models whose entries only their own app shows (counselling's referrals): the
# log's general views leave them out, count and filters included.
_PRIVATE_MODELS: set[type[Model]] = set()


def keep_out_of_log_views(*models: type[Model]) -> None:
    """Called by an app's ready(): the audit log's views never show these models' entries."""
    _PRIVATE_MODELS.update(models)


def shown_log_entries(entries: QuerySet[LogEntry] | None = None) -> QuerySet[LogEntry]:
    """The log entries (of `entries`, or all) a general view of the log may show."""
    private = ContentType.objects.get_for_models(*_PRIVATE_MODELS).values()
    if entries is None:
        entries = LogEntry.objects.all()
    return entries.exclude(content_type__in=[ct.pk for ct in private])
