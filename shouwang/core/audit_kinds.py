"""The registry of audit kinds: every `Kind` enumeration the apps declare.

`core.audit` says how an app declares its kinds and writes entries of them;
this module is apart so that the log's model can name its entries' kinds.
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models.enums import Choices


class UnknownKind(LookupError):
    """An entry of a kind that no app registered."""


class Kind(str, Choices):
    """An app's kinds of audit event. Subclasses are registered as declared:

        class PeopleEvent(audit.Kind):
            ROSTER_COMMITTED = "people.roster_committed", _("committed a roster import")
            MOBILE_VIEWED = "people.mobile_viewed", audit.READ, _("revealed a mobile number")

    A code is the app's name, a dot and the event, and is never reused: stored
    entries keep it."""

    read: bool

    def __new__(cls, code: str, read: bool = False) -> Kind:
        member = str.__new__(cls, code)
        member._value_ = code
        member.read = read
        return member

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _declared.append(cls)
        _by_code.clear()

    def __str__(self) -> str:
        return self.value


# The marker, after a code, of a kind that is a read.
READ = True

_declared: list[type[Kind]] = []
_by_code: dict[str, Kind] = {}


def kinds() -> dict[str, Kind]:
    """Every registered kind by its code (CoreConfig.ready imports each app's `audit`)."""
    if not _by_code:
        found: dict[str, Kind] = {}
        for declared in _declared:
            for kind in declared:
                if kind.value.count(".") != 1:
                    raise ImproperlyConfigured(f"{kind!r}: a code is 'app.event', not {kind}")
                if found.setdefault(kind.value, kind) is not kind:
                    raise ImproperlyConfigured(f"{kind!r} reuses {found[kind.value]!r}'s code")
        _by_code.update(found)
    return _by_code


def kind_of(code: str) -> Kind:
    """The registered kind of `code` (a kind or its code); UnknownKind if none."""
    try:
        return kinds()[code.value if isinstance(code, enum.Enum) else code]
    except KeyError:
        raise UnknownKind(f"no app registered the audit kind {code!r}") from None
