"""Teams: volunteer brigades, party-member vanguard posts and work teams,
staff duty teams. A team is a group people belong to, with leads; notices go
to teams, and shifts, hours and deliveries (the care work) build on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.people.models import Person, Unit


class Team(models.Model):
    class Kind(models.TextChoices):
        BRIGADE = "brigade", _("volunteer brigade")
        VANGUARD_POST = "vanguard_post", _("party-member vanguard post")
        PARTY_WORK_TEAM = "party_work_team", _("student party-member work team")
        STAFF_DUTY = "staff_duty", _("staff duty team")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The unit that runs the team, e.g. the league committee for a brigade.
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="teams", verbose_name=_("unit")
    )
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        Person, through="Membership", related_name="teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(
        Team, models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="membership_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.person}"
