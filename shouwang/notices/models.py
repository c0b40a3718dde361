"""Notices and instructions: written once, received by each person of their
audience as a receipt that records when it was read and acknowledged.

The receipts are the record: the author's counts, the named list of those who
have not acknowledged, and every reminder are queries over them. One receipt
per notice per person is a unique constraint, so publishing twice, or two
workers, cannot make a second one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.uploads import Attachment
from shouwang.lib import clock
from shouwang.people.models import Person


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="notices",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    requires_acknowledgement = models.BooleanField(_("requires acknowledgement"), default=False)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # The audience as chosen (notices.audience.Audience); the receipts are who it reached.
    audience = models.JSONField(_("audience"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("written at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # When the automatic reminder before the deadline went out.
    auto_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and clock.now() > self.deadline

    def tallies(self) -> dict[str, int]:
        """Recipients, read and acknowledged, in one query."""
        return self.receipts.aggregate(
            recipients=models.Count("pk"),
            read=models.Count("pk", filter=models.Q(read_at__isnull=False)),
            acknowledged=models.Count("pk", filter=models.Q(acknowledged_at__isnull=False)),
        )


class NoticeAttachment(Attachment):
    folder = "notices"

    notice = models.ForeignKey(
        Notice, models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )

    def get_absolute_url(self) -> str:
        return reverse("notices:attachment", args=[self.notice_id, self.pk])


class Receipt(models.Model):
    notice = models.ForeignKey(
        Notice, models.CASCADE, related_name="receipts", verbose_name=_("notice")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="receipts", verbose_name=_("recipient")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="receipt_once_per_person")
        ]
        # A person's own notices, newest first.
        indexes = [models.Index(fields=["person", "notice"])]

    def __str__(self) -> str:
        return f"{self.notice}: {self.person}"

    @property
    def was_late(self) -> bool:
        deadline = self.notice.deadline
        return bool(deadline and self.acknowledged_at and self.acknowledged_at > deadline)


class Reminder(models.Model):
    """One round of reminders to those who had not acknowledged: a 催办 by the
    author, or the automatic one before the deadline (one per notice)."""

    notice = models.ForeignKey(
        Notice, models.CASCADE, related_name="reminders", verbose_name=_("notice")
    )
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    automatic = models.BooleanField(_("automatic"), default=False)
    recipients = models.PositiveIntegerField(_("people reminded"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice"],
                condition=models.Q(automatic=True),
                name="reminder_automatic_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice}: {self.sent_at:%Y-%m-%d %H:%M}"
