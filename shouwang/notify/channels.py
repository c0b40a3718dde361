"""Channels: the ways a message reaches a person. Each is a small class with
one `send` method taking a batch of unsaved `Message`s.

The in-app inbox is the first and the record of every message: it stores the
rows. E-mail, group robots and SMS (the notices work) will hand the stored
messages to an outbox of their own, so that a channel that is down is retried
without blocking anyone and without sending twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .models import Message


class Channel:
    name: ClassVar[str]

    def send(self, messages: Sequence[Message]) -> None:
        raise NotImplementedError


class Inbox(Channel):
    name = "inbox"

    def send(self, messages: Sequence[Message]) -> None:
        # A key that is already stored is skipped by the database, not by a
        # check here: two workers sending the same batch store it once.
        Message.objects.bulk_create(messages, ignore_conflicts=True)


def channels() -> list[Channel]:
    """The channels every message goes through, the inbox first."""
    return [Inbox()]
