from auditlog.models import AbstractLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock


class ScheduledRun(models.Model):
    """One firing of a periodic job for one due time.

    The unique constraint is the lock: every scheduler process that sees a job
    due tries to insert this row, and only the one whose insert succeeds
    enqueues the task. Two app servers, or one scheduler restarted mid-minute,
    never run the same slot twice.
    """

    job = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="scheduledrun_once_per_slot")
        ]
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M}"


class LogEntry(AbstractLogEntry):
    """auditlog's log entry (AUDITLOG_LOGENTRY_MODEL), indexed for how the log
    is read: an object's history, a person's actions, a period of time.

    auditlog's own model indexes seven columns one by one, and every audited
    action writes a page of each: during the morning wave, where every check-in
    writes its audit row, its indexes were most of the pages a check-in wrote
    (docs/performance.md). Here the type and id of the object share one index,
    and the action, the text key and the correlation id, which nothing looks
    rows up by alone, have none."""

    # Typed by hand: mypy cannot see the fields of auditlog's untyped model they replace.
    content_type: models.ForeignKey[ContentType, ContentType] = models.ForeignKey(
        ContentType,
        models.CASCADE,
        related_name="+",
        verbose_name=_("content type"),
        db_index=False,
    )
    object_pk: models.CharField[str, str] = models.CharField(_("object pk"), max_length=255)
    object_id: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        _("object id"), blank=True, null=True
    )
    action: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        _("action"), choices=AbstractLogEntry.Action.choices
    )
    cid: models.CharField[str | None, str | None] = models.CharField(
        _("Correlation ID"), max_length=255, blank=True, null=True
    )
    # The app's clock, as the rows core.audit writes: on the demo, a change
    # logged by auditlog's own signals reads in the demo's day like the rest.
    timestamp: models.DateTimeField = models.DateTimeField(
        _("timestamp"), default=clock.now, db_index=True
    )

    class Meta(AbstractLogEntry.Meta):
        indexes = [models.Index(fields=["content_type", "object_id"], name="logentry_object")]
