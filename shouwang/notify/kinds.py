"""Kinds of message, registered by the apps that send them.

A message's kind is a plain code in the database, checked against this
registry: notify names none of its senders, so a new sender registers its
kinds in its own app and notify needs no migration. A sending app registers
them in its `message_kinds.py`, which its AppConfig.ready() imports, so every
kind is known (and labelled in the inbox) before the first request. A reminder
and an escalation are notify's own: any app may send them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The model's column: a longer code could not be stored.
MAX_LENGTH = 20


@dataclass(frozen=True)
class MessageKind:
    code: str
    label: str | Promise
    # The inbox opens the message's link at once rather than the message:
    # the linked page shows the whole of it and marks it read.
    opens_link: bool = False


REGISTRY: dict[str, MessageKind] = {}


def register(code: str, label: str | Promise, *, opens_link: bool = False) -> str:
    """Declare a kind of message with its label; returns the code to send it with."""
    if code in REGISTRY:
        raise ImproperlyConfigured(f"the message kind {code!r} is registered twice")
    if not 0 < len(code) <= MAX_LENGTH:
        raise ImproperlyConfigured(f"a message kind is 1 to {MAX_LENGTH} characters: {code!r}")
    REGISTRY[code] = MessageKind(code, label, opens_link)
    return code


def label(code: str) -> str:
    """The kind's label; a kind that no installed app registers any more shows its code."""
    kind = REGISTRY.get(code)
    return str(kind.label) if kind else code


def opens_link(code: str) -> bool:
    kind = REGISTRY.get(code)
    return bool(kind and kind.opens_link)


def validate(code: str) -> None:
    if code not in REGISTRY:
        raise ValidationError(
            _("“%(kind)s” is not a registered kind of message."),
            code="unregistered",
            params={"kind": code},
        )


REMINDER = register("reminder", _("reminder"))
ESCALATION = register("escalation", _("escalation"))
