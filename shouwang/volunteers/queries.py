"""The figures: hours per person and team, teams by kind, and the seed's
"18 student party members served in their home communities across the
country", counted from approved reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from shouwang.people.models import Person, party_member_q

from .models import Membership, ServiceReport, SignUp, Team, hours_of

PARTY, LEAGUE, OTHER = "party", "league", "other"


def hours_by_person(person_ids: Iterable[int | None] | QuerySet[Any, Any]) -> dict[int, Decimal]:
    """Each person's checked-out hours on all shifts, in one query."""
    rows = (
        SignUp.objects.filter(person_id__in=person_ids, minutes__isnull=False)
        .values("person_id")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    return {row["person_id"]: hours_of(row["minutes"]) for row in rows}


def hours_by_team(teams: Iterable[Team]) -> dict[int, Decimal]:
    rows = (
        SignUp.objects.filter(shift__team__in=teams, minutes__isnull=False)
        .values("shift__team_id")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    return {row["shift__team_id"]: hours_of(row["minutes"]) for row in rows}


def teams_by_kind(teams: QuerySet[Team] | None = None) -> list[dict]:
    """[{"kind": "brigade", "label": …, "teams": 2, "members": 48}, …] in the
    kinds' order, over `teams` (every team by default)."""
    if teams is None:
        teams = Team.objects.all()
    rows = {
        row["kind"]: row
        for row in teams.values("kind")
        .annotate(teams=Count("pk", distinct=True), members=Count("memberships", distinct=True))
        .order_by()
    }
    return [
        {
            "kind": kind,
            "label": label,
            "teams": rows.get(kind, {}).get("teams", 0),
            "members": rows.get(kind, {}).get("members", 0),
        }
        for kind, label in Team.Kind.choices
    ]


@dataclass(frozen=True)
class PersonRecord:
    """A person's posts and hours, for their person page."""

    memberships: list[Membership]
    shifts: int
    hours: Decimal


def record_of(person: Person) -> PersonRecord:
    memberships = list(person.memberships.select_related("team").order_by("team__name"))
    done = SignUp.objects.filter(person=person, minutes__isnull=False).aggregate(
        shifts=Count("pk"), minutes=Sum("minutes")
    )
    return PersonRecord(memberships, done["shifts"], hours_of(done["minutes"]))


@dataclass(frozen=True)
class ServiceFigures:
    """Approved community service in a period, by political status."""

    rows: dict[str, dict[str, int]]  # {"party": {"people": 18, "provinces": 16, "reports": 40}, …}

    def people(self, group: str = PARTY) -> int:
        return self.rows.get(group, {}).get("people", 0)

    def provinces(self, group: str = PARTY) -> int:
        return self.rows.get(group, {}).get("provinces", 0)

    @property
    def total(self) -> dict[str, int]:
        return self.rows.get("total", {"people": 0, "provinces": 0, "reports": 0})


GROUP_LABELS = {
    PARTY: _("student party members (full and probationary)"),
    LEAGUE: _("league members"),
    OTHER: _("others"),
}


def service_figures(
    start: dt.date | None = None,
    end: dt.date | None = None,
    reports: QuerySet[ServiceReport] | None = None,
) -> ServiceFigures:
    """Approved reports dated from `start` to `end` (inclusive), counted as
    distinct people and distinct provinces, for student party members (full
    and probationary), league members, others, and all together; among
    `reports` (every report by default)."""
    if reports is None:
        reports = ServiceReport.objects.all()
    reports = reports.filter(status=ServiceReport.Status.APPROVED, person__kind=Person.Kind.STUDENT)
    if start:
        reports = reports.filter(date__gte=start)
    if end:
        reports = reports.filter(date__lte=end)
    group = Case(
        When(party_member_q("person__"), then=Value(PARTY)),
        When(person__political_status=Person.PoliticalStatus.LEAGUE_MEMBER, then=Value(LEAGUE)),
        default=Value(OTHER),
        output_field=CharField(),
    )
    counts = {
        "people": Count("person", distinct=True),
        "provinces": Count("province", distinct=True),
        "reports": Count("pk"),
    }
    rows: dict[str, dict[str, int]] = {
        row["group"]: {name: row[name] for name in counts}
        for row in reports.annotate(group=group).values("group").annotate(**counts).order_by()
    }
    rows["total"] = reports.aggregate(**counts)
    return ServiceFigures(rows)


def party_members_serving(start: dt.date | None = None, end: dt.date | None = None) -> tuple:
    """(people, provinces): the seed's "18 student party members … across the country"."""
    figures = service_figures(start, end)
    return figures.people(PARTY), figures.provinces(PARTY)
