"""Sending messages: record each once in the inbox and pass it to the channels.

A message with a `key` is sent at most once: the key's unique constraint makes a
repeat a no-op in the database, whether the repeat comes from a scheduler firing
twice, two workers, or a batch run again after a worker died halfway through.
Batches are short transactions, so a crash loses at most the batch in flight
and a re-run fills in exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from shouwang.lib import clock
from shouwang.people.models import Person

from .channels import channels
from .models import Message

BATCH_SIZE = 500


def send(
    recipients: Iterable[Person],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    *,
    key_for: Callable[[Person], str] | None = None,
) -> int:
    """Send the same message to each recipient; `key_for(person)` names each
    copy so that it goes out at most once. Returns how many were new."""
    now = clock.now()
    return deliver(
        Message(
            recipient_id=person.pk,
            kind=kind,
            title=title,
            body=body,
            link=link,
            key=key_for(person) if key_for else None,
            created_at=now,
        )
        for person in recipients
    )


def deliver(messages: Iterable[Message]) -> int:
    """Send unsaved messages (each with its own text and key) through every
    channel, in batches; returns how many were new."""
    pending = list(messages)
    for message in pending:
        if message.link and not message.link.startswith("/"):
            # Links are the app's own pages; anything else in an inbox is a phishing hole.
            raise ValueError(f"message link must be a path on this site: {message.link!r}")
    sent = 0
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start : start + BATCH_SIZE]
        with transaction.atomic():
            # Only to count and to spare the channels a repeat; the unique key
            # is what guarantees at most once.
            keys = [message.key for message in batch if message.key]
            known = set(Message.objects.filter(key__in=keys).values_list("key", flat=True))
            new = [message for message in batch if not message.key or message.key not in known]
            for channel in channels():
                channel.send(new)
        sent += len(new)
    return sent


def not_yet_sent(people: QuerySet[Person], key_prefix: str) -> QuerySet[Person]:
    """The people who have no message keyed `key_prefix + their pk`: lets a job
    that runs every minute skip, in one query, everyone it already reached."""
    # The recipient condition gives the planner an indexed join column; the key
    # alone is an expression of the outer row.
    sent = Message.objects.filter(
        recipient_id=OuterRef("pk"),
        key=Concat(Value(key_prefix), Cast(OuterRef("pk"), output_field=CharField())),
    )
    return people.filter(~Exists(sent))


def mark_all_read(person_id: int | None) -> int:
    """Mark every unread message of a person read; returns how many."""
    if person_id is None:
        return 0
    return Message.objects.filter(recipient_id=person_id, read_at__isnull=True).update(
        read_at=clock.now()
    )
