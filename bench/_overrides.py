"""The overrides under the check-in request, and how to run without each.

Each one replaces a piece of Django or of a library to make the check-in
cheaper. `bench/checkin_request.py --callgrind` counts the check-in POST's and
the trivial view's instructions with every override and without each;
`--without NAME` runs the in-process figures without the ones named. Turning
one off puts back the code path Django (or the library) has without it; it is
done after Django is set up and before the first request or query.
"""

from __future__ import annotations

import copy
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


def _session() -> None:
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _auth_backend() -> None:
    from django.contrib.auth.backends import ModelBackend

    from shouwang.accounts.backends import PersonModelBackend

    # The sessions name this backend: its class stays, Django's get_user comes back.
    PersonModelBackend.get_user = ModelBackend.get_user  # type: ignore[method-assign]


def _auth_join_sql() -> None:
    from shouwang.accounts.backends import PersonModelBackend
    from shouwang.accounts.models import User

    def get_user(self, user_id):
        # ModelBackend.get_user, the person joined by the ORM.
        try:
            user = User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    PersonModelBackend.get_user = get_user  # type: ignore[method-assign]


def _user_middleware() -> None:
    from shouwang.accounts import middleware

    # `request.user = request.user`: the lazy stand-in stays, as without the override.
    middleware.get_user = lambda request: request.user  # type: ignore[assignment]


def _csp_skip() -> None:
    _replace_middleware("shouwang.core.middleware.CSPMiddleware", "csp.middleware.CSPMiddleware")


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


def _form_copy() -> None:
    from shouwang.core import forms

    forms.copy_field = lambda field, memo: copy.deepcopy(field, memo)  # type: ignore[assignment]


def _form_sharing() -> None:
    from shouwang.core.forms import SharedFieldsMixin

    def init(self, *args, **kwargs):
        super(SharedFieldsMixin, self).__init__(*args, **kwargs)

    SharedFieldsMixin.__init__ = init  # type: ignore[method-assign]


def _fixed_choices() -> None:
    from django import forms

    from shouwang.checkins.forms import CheckInForm
    from shouwang.core.forms import FixedChoices

    for field in CheckInForm.base_fields.values():
        if isinstance(field, forms.ChoiceField) and isinstance(field.choices, FixedChoices):
            field.choices = list(field.choices)


def _open_incidents_orm(unit_id: int) -> list:
    from shouwang.incidents.models import Incident
    from shouwang.people.models import Unit

    covering = Incident.units.through.objects.filter(unit_id__in=Unit.ancestor_ids(unit_id)).values(
        "incident_id"
    )
    return list(
        Incident.objects.filter(closed_at__isnull=True, pk__in=covering).order_by(
            "started_at", "pk"
        )
    )


def _incidents_sql() -> None:
    from shouwang.incidents import access

    access.select = lambda model, where, params: _open_incidents_orm(params[0])  # type: ignore[assignment]


def _privacy_sql() -> None:
    from shouwang.checkins import privacy

    def exists(model, where, params):
        person_id, version = params
        return model.objects.filter(person_id=person_id, version=version).exists()

    privacy.exists = exists  # type: ignore[assignment]


class _OrmInsert:
    """core.db.Insert's contract through the ORM: a savepoint, and the
    constraint's IntegrityError caught."""

    def __init__(self, instance, *, unless_conflict_on=()):
        self.instance = instance

    def run(self) -> bool:
        from django.db import IntegrityError, transaction

        try:
            with transaction.atomic():
                self.instance.save(force_insert=True)
        except IntegrityError:
            self.instance.pk = None
            return False
        return True


def _insert() -> None:
    from shouwang.checkins import actions

    actions.Insert = _OrmInsert  # type: ignore[misc,assignment]


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
        "session store: the session's data read by a plain SELECT",
        "SessionBase.load()'s contract, its private _session_key, django_session's columns",
        _session,
    ),
    Override(
        "auth-backend",
        "auth backend: the user and their person in one plain SELECT with a join",
        "ModelBackend.get_user's contract; core.db's mini-ORM (from_db, the ORM's converters)",
        _auth_backend,
    ),
    Override(
        "auth-join-sql",
        "auth backend's join written in SQL (the ORM's select_related instead)",
        "core.db's mini-ORM (Model.from_db, the compiler's converters)",
        _auth_join_sql,
    ),
    Override(
        "user-middleware",
        "user middleware: request.user replaced by the user itself",
        "django.contrib.auth.middleware.get_user and its request._cached_user",
        _user_middleware,
    ),
    Override(
        "csp-skip",
        "CSP middleware: no policy built for redirects",
        "csp.middleware.CSPMiddleware.process_response",
        _csp_skip,
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
        "base.FORMAT_QMARK_REGEX, SQLiteCursorWrapper.convert_query(query, *, param_names)",
        _sqlite_backend,
    ),
    Override(
        "form-copy",
        "form fields copied by hand, widget._choices written",
        "Field/ChoiceField/Widget/ChoiceWidget.__deepcopy__, the private _choices",
        _form_copy,
    ),
    Override(
        "form-sharing",
        "form fields shared between forms (SharedFieldsMixin)",
        "BaseForm.__init__ deep-copying base_fields, read once",
        _form_sharing,
    ),
    Override(
        "fixed-choices",
        "FixedChoices: choices normalised once, never copied",
        "BaseChoiceIterator passed through normalize_choices untouched",
        _fixed_choices,
    ),
    Override(
        "incidents-sql",
        "the incident covering a unit: one raw recursive SELECT (core.db.select)",
        "hard-coded table names; core.db's mini-ORM (Model.from_db, converters)",
        _incidents_sql,
    ),
    Override(
        "privacy-sql",
        "the privacy acceptance: SELECT 1 … LIMIT 1 (core.db.exists)",
        "hard-coded column names",
        _privacy_sql,
    ),
    Override(
        "insert",
        "the check-in's row: core.db.Insert, ON CONFLICT DO NOTHING",
        "instance._state.adding/db written; Field.pre_save/get_db_prep_save",
        _insert,
    ),
    Override(
        "audit-insert",
        "the check-in's audit row: PreparedAction, a plain INSERT",
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
