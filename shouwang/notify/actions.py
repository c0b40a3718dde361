"""Sending messages: record each once in the inbox and pass it to the channels.

A message with a `key` is sent at most once: the key's unique constraint makes a
repeat a no-op in the database, whether the repeat comes from a scheduler firing
twice, two workers, or a batch run again after a worker died halfway through.
Batches are short transactions, so a crash loses at most the batch in flight
and a re-run fills in exactly what is missing.

The other channels go through the outbox: the batch's transaction also
writes one `MessageDelivery` per message per channel, and a task enqueued on commit
(and a retry job every minute) sends them. The request that sent a message
only writes rows; a channel that is down shows as errors on its deliveries,
retried with backoff, never as an error in that request.

A sender claims the rows it sends for a lease (`LEASE`); a row still claimed
after its lease was left by a sender that died mid-send, and `recover` takes it
up: sent again where the channel drops a repeat, otherwise marked unknown for a
person to re-send or mark delivered (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest

from shouwang.core import audit
from shouwang.lib import clock
from shouwang.people.models import Person

from . import kinds
from .audit import NotifyEvent
from .channels import (
    CLASSES,
    Channel,
    DeliveryError,
    Inbox,
    OutcomeUnknown,
    RecipientError,
    outbox_channels,
)
from .models import Message, MessageDelivery

if TYPE_CHECKING:
    from shouwang.accounts.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Retry after 1, 2, 4 … minutes, at most an hour apart; after MAX_ATTEMPTS a
# delivery is given up (about nine hours): a reminder that late does harm.
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=1)
MAX_ATTEMPTS = 15
# Pending deliveries a sender looks at per query (a robot digests them).
SEND_BATCH = 200
# How long a claimed delivery is its sender's: far longer than one send takes
# (a request times out after HTTP_TIMEOUT; an app channel makes at most four),
# so that only a sender that died loses its claim.
LEASE = dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


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
        kinds.validate(message.kind)
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
            Inbox().send(new)
            queue(new)
        sent += len(new)
    return sent


def queue(messages: Sequence[Message]) -> int:
    """Write the outbox rows of stored messages, one per configured channel
    that can reach each recipient, and have them sent once committed."""
    channels = outbox_channels()
    if not channels or not messages:
        return 0
    # ignore_conflicts gave the keyed messages no ids. A key stored by a
    # concurrent worker gets that worker's id; the outbox's unique constraint
    # keeps its delivery single.
    keyed = [message for message in messages if message.pk is None and message.key]
    ids = dict(Message.objects.filter(key__in=[m.key for m in keyed]).values_list("key", "pk"))
    for message in keyed:
        message.pk = ids.get(message.key)
    stored = [message for message in messages if message.pk]
    recipients = {message.recipient_id for message in stored}
    rows = []
    for channel in channels:
        reachable = channel.reachable(recipients)
        rows += [
            MessageDelivery(
                message_id=message.pk, channel=channel.name, next_attempt_at=message.created_at
            )
            for message in stored
            if message.recipient_id in reachable
        ]
    if not rows:
        return 0
    # A message stored by a concurrent worker may already have its rows.
    MessageDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    from .tasks import send_deliveries  # the task module imports this one

    # robust: a queue that is down must not fail the request; the retry job sends them.
    transaction.on_commit(send_deliveries.enqueue, robust=True)
    return len(rows)


def send_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """Send the deliveries that are due on every configured channel; returns
    how many went out per channel."""
    now = now or clock.now()
    return {channel.name: send_due(channel, now) for channel in outbox_channels()}


def send_due(channel: Channel, now: dt.datetime) -> int:
    """Send one channel's due deliveries until none are left, the channel
    fails, or its rate limit is reached; returns how many went out."""
    budget = requests_left(channel, now)
    sent = 0
    # A long run claims late: each lease counts from the moment of its claim.
    started = time.monotonic()
    while budget is None or budget > 0:
        due = list(
            MessageDelivery.objects.filter(
                channel=channel.name,
                status=MessageDelivery.Status.PENDING,
                next_attempt_at__lte=now,
            )
            .select_related("message__recipient__user")
            .order_by("pk")[:SEND_BATCH]
        )
        if not due:
            break
        by_message = {row.message_id: row for row in due}
        for group in channel.split([row.message for row in due]):
            if budget is not None and budget <= 0:
                break
            elapsed = dt.timedelta(seconds=time.monotonic() - started)
            won = claim([by_message[message.pk] for message in group], now, now + elapsed + LEASE)
            if not won:
                continue  # another sender has them
            if budget is not None:
                budget -= 1
            went_out = send_claimed(channel, won, now)
            if went_out is None:
                # The rest would most likely fail the same way; the next run tries again.
                return sent
            sent += went_out
    return sent


def send_claimed(channel: Channel, rows: Sequence[MessageDelivery], now: dt.datetime) -> int | None:
    """Send one claimed group and record how it went: how many went out, or
    None when the channel failed and the run should stop."""
    try:
        channel.send([row.message for row in rows])
    except RecipientError as error:
        # Only these recipients were refused; the channel works.
        failed(rows, str(error), now)
        return 0
    except OutcomeUnknown as error:
        uncertain(channel, rows, str(error), now)
        return None
    except DeliveryError as error:
        failed(rows, str(error), now)
        return None
    except Exception as error:
        logger.exception("channel %s", channel.name)
        failed(rows, f"{type(error).__name__}: {error}", now)
        return None
    MessageDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        # last_error stays: the record of what the row went through.
        status=MessageDelivery.Status.SENT,
        sent_at=now,
    )
    return len(rows)


def requests_left(channel: Channel, now: dt.datetime) -> int | None:
    """How many requests the channel may still make in this minute: each claim
    is one request, so the claims attempted in the last minute are counted."""
    if channel.per_minute is None:
        return None
    made = (
        MessageDelivery.objects.filter(
            channel=channel.name, last_attempt_at__gt=now - dt.timedelta(minutes=1)
        )
        .values("claim")
        .distinct()
        .count()
    )
    return max(channel.per_minute - made, 0)


def claim(
    rows: Sequence[MessageDelivery], now: dt.datetime, leased_until: dt.datetime | None = None
) -> list[MessageDelivery]:
    """Take the rows that are still pending for this sender alone, until
    `leased_until` (`LEASE` from now by default): the conditional UPDATE lets
    exactly one of two concurrent senders change each row, and the claim token
    tells this sender which ones it won."""
    token = uuid.uuid4().hex
    MessageDelivery.objects.filter(
        pk__in=[row.pk for row in rows],
        status=MessageDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(
        status=MessageDelivery.Status.SENDING,
        claim=token,
        leased_until=leased_until or now + LEASE,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
    )
    won = set(MessageDelivery.objects.filter(claim=token).values_list("pk", flat=True))
    for row in rows:
        row.claim, row.last_attempt_at, row.attempts = token, now, row.attempts + 1
    return [row for row in rows if row.pk in won]


def failed(rows: Sequence[MessageDelivery], error: str, now: dt.datetime) -> None:
    """Record the error and when to try again; give up after MAX_ATTEMPTS."""
    for row in rows:
        row.last_error = error[:500]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = MessageDelivery.Status.FAILED
        else:
            row.status = MessageDelivery.Status.PENDING
            row.next_attempt_at = now + min(RETRY_FIRST * 2 ** (row.attempts - 1), RETRY_MAX)
    MessageDelivery.objects.bulk_update(rows, ["status", "next_attempt_at", "last_error"])


def uncertain(
    channel: Channel, rows: Sequence[MessageDelivery], error: str, now: dt.datetime
) -> None:
    """A send whose answer never came: tried again like any failure where the
    channel drops a repeat, otherwise unknown, as if its sender had died."""
    if channel.resend_within is not None:
        failed(rows, error, now)
        return
    MessageDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=MessageDelivery.Status.UNKNOWN, leased_until=None, last_error=error[:500]
    )
    logger.warning("channel %s: %d deliveries unknown: %s", channel.name, len(rows), error)


def recover(now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Take up the deliveries whose sender died mid-send (their lease ran out).
    On a channel that drops a repeat of the same send, and while it still
    does, they are sent again; on the others a repeat could arrive twice, so
    they are marked unknown, for a person to re-send or mark delivered.
    Returns, per channel, how many were re-sent and how many are unknown."""
    now = now or clock.now()
    expired = MessageDelivery.objects.filter(
        status=MessageDelivery.Status.SENDING, leased_until__lt=now
    )
    recovered = {}
    for name in sorted(set(expired.values_list("channel", flat=True))):
        rows = expired.filter(channel=name)
        channel = CLASSES.get(name)
        window = channel.resend_within if channel else None
        resent = 0
        if window is not None:
            # Still due (next_attempt_at is before the claim): the next send takes it.
            resent = rows.filter(last_attempt_at__gt=now - window).update(
                status=MessageDelivery.Status.PENDING, leased_until=None
            )
        unknown = rows.update(status=MessageDelivery.Status.UNKNOWN, leased_until=None)
        recovered[name] = {"resent": resent, "unknown": unknown}
        logger.warning(
            "channel %s: %d deliveries left sending by a sender that died: "
            "%d sent again, %d unknown",
            name,
            resent + unknown,
            resent,
            unknown,
        )
    if any(counts["resent"] for counts in recovered.values()):
        from .tasks import send_deliveries  # the task module imports this one

        transaction.on_commit(send_deliveries.enqueue, robust=True)
    return recovered


def resend_unknown(
    delivery: MessageDelivery, *, acting_user: User, request: HttpRequest | None = None
) -> bool:
    """Send a delivery of unknown outcome again, as a person decided; False
    if it is no longer unknown (someone decided first)."""
    with transaction.atomic():
        changed = MessageDelivery.objects.filter(
            pk=delivery.pk, status=MessageDelivery.Status.UNKNOWN
        ).update(status=MessageDelivery.Status.PENDING, next_attempt_at=clock.now())
        if changed:
            audit.record(
                NotifyEvent.DELIVERY_RESENT,
                delivery,
                acting_user=acting_user,
                request=request,
                channel=delivery.channel,
                message=delivery.message_id,
            )
            from .tasks import send_deliveries  # the task module imports this one

            transaction.on_commit(send_deliveries.enqueue, robust=True)
    return bool(changed)


def mark_delivered(
    delivery: MessageDelivery, *, acting_user: User, request: HttpRequest | None = None
) -> bool:
    """Record that a delivery of unknown outcome did arrive, as a person found
    out; False if it is no longer unknown (someone decided first)."""
    with transaction.atomic():
        changed = MessageDelivery.objects.filter(
            pk=delivery.pk, status=MessageDelivery.Status.UNKNOWN
        ).update(status=MessageDelivery.Status.SENT, sent_at=F("last_attempt_at"))
        if changed:
            audit.record(
                NotifyEvent.DELIVERY_MARKED_DELIVERED,
                delivery,
                acting_user=acting_user,
                request=request,
                channel=delivery.channel,
                message=delivery.message_id,
            )
    return bool(changed)


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
