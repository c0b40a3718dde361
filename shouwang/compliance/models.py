"""The counts that outlive the check-ins: one row per class (or unit) and day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Unit


class DailyTally(models.Model):
    """Counts for one class (or, for people in no class, one unit) on one day
    of an incident.

    Counted every minute while the incident runs (`tallies.keep_tallies`):
    the college-wide compliance page reads these few thousand rows instead of
    joining everyone with the day's check-ins. Counted a last time from the
    detail when it is purged, so the record outlives it."""

    incident = models.ForeignKey(
        Incident, models.CASCADE, related_name="tallies", verbose_name=_("incident")
    )
    date = models.DateField(_("date"))
    admin_class = models.ForeignKey(
        AdminClass,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    expected = models.PositiveIntegerField(_("expected"))
    reported = models.PositiveIntegerField(_("reported"))
    late = models.PositiveIntegerField(_("late"))
    abnormal = models.PositiveIntegerField(_("abnormal"))
    on_campus = models.PositiveIntegerField(_("on campus"))
    # A day's counts are final once taken after it ended (`tallies.day_over`).
    counted_at = models.DateTimeField(_("counted at"), default=clock.now)

    class Meta:
        verbose_name = _("daily tally")
        verbose_name_plural = _("daily tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "date", "admin_class", "unit"], name="tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} {self.date} {self.admin_class or self.unit}"
