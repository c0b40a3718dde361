"""The overrides under the check-in request, and how to run without each.

Each one replaces a piece of Django or of a library to make the check-in
cheaper. `bench/checkin_request.py --callgrind` counts the check-in POST's and
the trivial view's instructions with every override and without each;
`--without NAME` runs the in-process figures without the ones named. Turning
one off puts back the code path Django (or the library) has without it, or for
a query of core.db its ORM twin; it is done after Django is set up and before
the first request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Override:
    name: str
    what: str
    relies_on: str
    turn_off: Callable[[], None]


def _replace_middleware(old: str, new: str) -> None:
    from django.conf import settings

    settings.MIDDLEWARE = [new if entry == old else entry for entry in settings.MIDDLEWARE]


def _orm_twin(name: str) -> Callable[[], None]:
    def turn_off() -> None:
        from shouwang.core import db

        setattr(db, name, db.ORM_TWINS[name])

    return turn_off


def _session() -> None:
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _auth_backend() -> None:
    from django.contrib.auth.backends import ModelBackend

    from shouwang.accounts.backends import PersonModelBackend

    # The sessions name this backend: its class stays, Django's get_user comes back.
    PersonModelBackend.get_user = ModelBackend.get_user  # type: ignore[method-assign]


def _user_middleware() -> None:
    from shouwang.accounts import middleware

    # `request.user = request.user`: the lazy stand-in stays, as without it.
    middleware.get_user = lambda request: request.user  # type: ignore[assignment]


def stock_auditlog_middleware(get_response):
    """auditlog's own middleware (a receiver connected and disconnected around
    each request), with the address read as core.audit reads it."""
    from auditlog.middleware import AuditlogMiddleware

    from shouwang.core import audit

    class Stock(audit.AuditlogMiddleware):
        __call__ = AuditlogMiddleware.__call__

    return Stock(get_response)


def _auditlog_middleware() -> None:
    from django.db.models.signals import pre_save

    from shouwang.core import audit
    from shouwang.core.models import LogEntry

    pre_save.disconnect(sender=LogEntry, dispatch_uid=audit.SIGNAL_DUID)
    _replace_middleware(
        "shouwang.core.audit.AuditlogMiddleware", f"{__name__}.stock_auditlog_middleware"
    )


def _sqlite_backend() -> None:
    from django.db import connections
    from django.db.utils import load_backend

    # Django made the connection's wrapper when it loaded the models; it has not
    # connected yet, so Django's own takes its place.
    settings = connections["default"].settings_dict
    if settings["ENGINE"] == "shouwang.core.sqlite":
        settings["ENGINE"] = "django.db.backends.sqlite3"
        connections["default"] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings)


def _form_sharing() -> None:
    from shouwang.core.forms import SharedFieldsMixin

    def init(self, *args, **kwargs):
        super(SharedFieldsMixin, self).__init__(*args, **kwargs)

    SharedFieldsMixin.__init__ = init  # type: ignore[method-assign]


def _insert() -> None:
    from shouwang.checkins import actions
    from shouwang.core import db

    actions.Insert = db.ORM_TWINS["Insert"]  # type: ignore[misc]


def _audit_insert() -> None:
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    from shouwang.checkins import actions
    from shouwang.core.models import LogEntry
    from shouwang.lib import clock

    class OrmAction:
        """PreparedAction's entry, made by the ORM when written."""

        def __init__(self, actor, obj, what, **data):
            self.actor, self.obj, self.what, self.data = actor, obj, what, data

        def write(self) -> int:
            context = auditlog_value.get({})
            entry = LogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(self.obj),
                object_pk=str(self.obj.pk),
                object_id=self.obj.pk,
                object_repr=smart_str(self.obj),
                action=LogEntry.Action.UPDATE,
                changes_text=self.what,
                actor=self.actor,
                cid=get_cid(),
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                timestamp=clock.now(),
                additional_data={"what": self.what, **self.data},
                actor_email=getattr(self.actor, "email", None) or None,
            )
            return entry.pk

    actions.PreparedAction = OrmAction  # type: ignore[misc,assignment]


OVERRIDES = [
    Override(
        "session",
        "session store: the session's data in one plain SELECT",
        "db.SessionStore.load and _get_session_from_db (the lookup, the key forgotten)",
        _session,
    ),
    Override(
        "auth-backend",
        "auth backend: the user with their person, in one query",
        "ModelBackend.get_user",
        _auth_backend,
    ),
    Override(
        "auth-join-sql",
        "core.db.get_by_pk: that query in plain SQL (its ORM twin: select_related)",
        "the compiler's converters, Model.from_db",
        _orm_twin("get_by_pk"),
    ),
    Override(
        "user-middleware",
        "request.user replaced by the user itself (session_limits needs it)",
        "django.contrib.auth.get_user (documented)",
        _user_middleware,
    ),
    Override(
        "auditlog-middleware",
        "auditlog middleware: its receiver connected once, not per request",
        "auditlog.context._set_extra_data, auditlog_value, the signal_duid key",
        _auditlog_middleware,
    ),
    Override(
        "sqlite-backend",
        "SQLite backend: each statement's placeholder rewriting remembered",
        "SQLiteCursorWrapper.convert_query and its callers, FORMAT_QMARK_REGEX, create_cursor",
        _sqlite_backend,
    ),
    Override(
        "form-sharing",
        "the check-in form's fields shared between forms (SharedFieldsMixin)",
        "BaseForm.__init__ deep-copying base_fields, read once",
        _form_sharing,
    ),
    Override(
        "incidents-sql",
        "core.db.open_incidents_covering_unit: one recursive SELECT",
        "the compiler's converters, Model.from_db, ManyToManyField's column names",
        _orm_twin("open_incidents_covering_unit"),
    ),
    Override(
        "privacy-sql",
        "core.db.exists: the privacy acceptance by SELECT 1 … LIMIT 1",
        "Field.get_db_prep_value",
        _orm_twin("exists"),
    ),
    Override(
        "insert",
        "core.db.Insert: the check-in's row, ON CONFLICT DO NOTHING",
        "instance._state.adding/db; Field.pre_save/get_db_prep_save",
        _insert,
    ),
    Override(
        "audit-insert",
        "core.audit.PreparedAction: the check-in's audit row, a plain INSERT",
        "auditlog's LogEntry columns; auditlog_value, get_cid",
        _audit_insert,
    ),
]

BY_NAME = {override.name: override for override in OVERRIDES}


def turn_off(names: list[str]) -> None:
    unknown = set(names) - set(BY_NAME)
    if unknown:
        raise SystemExit(f"no such override: {', '.join(sorted(unknown))}; known: {list(BY_NAME)}")
    for name in names:
        BY_NAME[name].turn_off()
