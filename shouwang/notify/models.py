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


class Message(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder")
        MISSING_LIST = "missing_list", _("missing list")
        ESCALATION = "escalation", _("escalation")
        NOTICE = "notice", _("notice")

    recipient = models.ForeignKey(
        Person, models.CASCADE, related_name="messages", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
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

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = clock.now()
            self.save(update_fields=["read_at"])
