"""Messages to people. The in-app inbox is the first channel and always holds
every message; e-mail, group robots and SMS come with the notices work.

A message may carry a `key`: the unique constraint on it is what makes a
reminder go out at most once per person per slot, even when the scheduler fires
twice or a worker dies mid-batch and the batch is run again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock
from shouwang.people.models import Person

from . import kinds


class Message(models.Model):
    recipient = models.ForeignKey(
        Person, models.CASCADE, related_name="messages", verbose_name=_("recipient")
    )
    # One of the kinds its senders registered (see kinds.py).
    kind = models.CharField(_("kind"), max_length=kinds.MAX_LENGTH, validators=[kinds.validate])
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=clock.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="message_key_unique"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    @property
    def opens_link(self) -> bool:
        """The inbox opens the link at once: for its kind, the linked page is the message."""
        return bool(self.link) and kinds.opens_link(self.kind)

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = clock.now()
            self.save(update_fields=["read_at"])


class MessageDelivery(models.Model):
    """The outbox: one row per message per channel other than the inbox,
    written in the same transaction as the message, so a process that dies
    after the commit loses nothing; the sender and the retry job work it off.

    The unique constraint and the atomic claim (`claim`) are what make a
    message go out at most once per channel: a message has one recipient,
    so this is once per (message, recipient, channel).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        # Claimed by one sender until `leased_until`. A row still here after
        # that was left by a sender that died mid-send: the recovery job sends
        # it again where the channel drops repeats, or calls it unknown.
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # Its sender died mid-send and the channel would deliver a repeat:
        # whether it went out is for a person to say (re-send or mark delivered).
        UNKNOWN = "unknown", _("unknown")

    message = models.ForeignKey(
        Message, models.CASCADE, related_name="deliveries", verbose_name=_("message")
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=clock.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The sender run that claimed the row; for a robot, one digest request.
    claim = models.CharField(max_length=32, blank=True)
    # While sending: the time after which its sender is taken to have died.
    leased_until = models.DateTimeField(_("claimed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "channel"], name="delivery_once_per_channel"
            ),
        ]
        # The sender's "what is due on this channel" and the rate limit's
        # "what went out in the last minute" both start from the channel.
        indexes = [
            models.Index(fields=["channel", "status", "next_attempt_at"]),
            models.Index(fields=["channel", "last_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.message_id}"
