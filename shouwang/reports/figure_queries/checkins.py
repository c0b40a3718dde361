"""心系师生: the daily check-in, expected against reported over the period."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.checkins.models import CheckIn
from shouwang.incidents.models import people_covered
from shouwang.lib import clock
from shouwang.people.models import Person

from ..figures import Scope, figure
from .links import link

# Without an incident there is no deadline: a day counts once it is over.
END_OF_DAY = dt.time(23, 59, 59)


def counted_days(scope: Scope) -> list[dt.date]:
    """The period's days (within the incident's) whose check-in deadline has
    passed: a day still open would count its late reporters as missing."""
    first, last = scope.first, scope.last
    deadline = END_OF_DAY
    if scope.incident is not None:
        first = max(first, scope.incident.start_date)
        if scope.incident.end_date is not None:
            last = min(last, scope.incident.end_date)
        deadline = scope.incident.deadline
    now = clock.now()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if clock.at(day, deadline) <= now]


def expected_people(scope: Scope) -> QuerySet[Person]:
    """Whom the incident asks to check in, of the college; without an
    incident, everyone of the college at school."""
    if scope.incident is None:
        return scope.people()
    units = scope.unit_ids & scope.incident.unit_ids()
    return people_covered(units, scope.incident.reporters)


def _counts(scope: Scope) -> tuple[int, int]:
    """(expected, reported) person-days."""

    def read() -> tuple[int, int]:
        days = counted_days(scope)
        if not days:
            return 0, 0
        people = expected_people(scope)
        reported = CheckIn.objects.filter(
            date__range=(days[0], days[-1]), person__in=people.values("pk")
        )
        if scope.incident is not None:
            reported = reported.filter(incident=scope.incident)
        return people.count() * len(days), reported.count()

    return scope.shared("checkins", read)


def _overview(scope: Scope) -> str | None:
    if scope.incident is None:
        return link("compliance:overview")
    days = counted_days(scope)
    day = days[-1] if days else scope.first
    return link("compliance:overview", incident=scope.incident.pk, date=day.isoformat())


DAYS = _(
    "the period's days, within the incident's, whose check-in deadline has passed when computed"
)


@figure(
    "checkin_expected",
    _("check-ins expected"),
    population=_(
        "The people of the college the incident asks to check in (at school, as the roster "
        "stands when computed; without an incident, everyone of the college at school), "
        "once for each day counted."
    ),
    period=DAYS,
    unit=pgettext_lazy("figure unit", "person-days"),
    list_url=_overview,
)
def checkin_expected(scope: Scope) -> int:
    return _counts(scope)[0]


@figure(
    "checkin_reported",
    _("check-ins reported"),
    population=_(
        "The check-ins of the people checkin_expected counts, for the incident (without an "
        "incident: for any), on the days counted; one a person a day."
    ),
    period=DAYS,
    unit=pgettext_lazy("figure unit", "person-days"),
    list_url=_overview,
)
def checkin_reported(scope: Scope) -> int:
    return _counts(scope)[1]


@figure(
    "checkin_rate",
    _("check-in rate"),
    population=_(
        "checkin_reported over checkin_expected: the share of expected daily check-ins "
        "that were made, in per cent rounded to one decimal (half up); none when nobody "
        "was expected."
    ),
    period=DAYS,
    unit=pgettext_lazy("figure unit", "per cent"),
    list_url=_overview,
    say=lambda value: "" if value is None else f"{value:.1f}%",
)
def checkin_rate(scope: Scope) -> float | None:
    expected, reported = _counts(scope)
    if not expected:
        return None
    # Half up, as a person rounds (round() would take 97.25 to 97.2).
    tenths = (2000 * reported + expected) // (2 * expected)
    return tenths / 10
