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


def _upsert() -> None:
    from shouwang.checkins import actions
    from shouwang.core import db

    actions.Upsert = db.ORM_TWINS["Upsert"]  # type: ignore[misc]


def _audit_prepared() -> None:
    from shouwang.checkins import actions
    from shouwang.core import audit

    class Later:
        """audit.prepare's entry, written by audit.record when the check-in is."""

        def __init__(self, kind, obj, /, *, acting_user, **data):
            self.kind, self.obj, self.acting_user, self.data = kind, obj, acting_user, data

        def write(self):
            return audit.record(self.kind, self.obj, acting_user=self.acting_user, **self.data)

    actions.prepare = Later  # type: ignore[assignment]


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
        "upsert",
        "core.db.Upsert: the check-in's row, INSERT … ON CONFLICT DO NOTHING, then UPDATE",
        "instance._state.adding/db; Field.pre_save/get_db_prep_save; the compiler's converters",
        _upsert,
    ),
    Override(
        "audit-prepared",
        "core.audit.prepare: the check-in's audit entry worked out before BEGIN",
        "core.db.Insert (instance._state); LogEntry's fields",
        _audit_prepared,
    ),
]

BY_NAME = {override.name: override for override in OVERRIDES}


def turn_off(names: list[str]) -> None:
    unknown = set(names) - set(BY_NAME)
    if unknown:
        raise SystemExit(f"no such override: {', '.join(sorted(unknown))}; known: {list(BY_NAME)}")
    for name in names:
        BY_NAME[name].turn_off()
