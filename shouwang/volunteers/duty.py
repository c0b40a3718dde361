"""The duty roster's watch: who has been on site too many days in a row, and
who of their team could relieve them.

A streak is the run of consecutive on-site days ending on a given day; a day
without an on-site row (remote, or not on the roster) ends it. More than
DUTY_MAX_CONSECUTIVE_DAYS and the person is due a relief: the roster shows it,
and a daily job tells the leads of their duty team and the leaders once per
streak (the message key names the streak's first day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.notify.actions import deliver
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person

from .models import DutyDay, Membership, Team

# How far back a streak is looked for; a streak longer than this counts as this long.
LOOKBACK_DAYS = 120
# Relief candidates are ranked by their on-site days in this many days before.
RECENT_DAYS = 14
RELIEF_SUGGESTIONS = 3


@dataclass
class Streak:
    person: Person
    first_day: dt.date
    days: int
    relief: list[Person] = field(default_factory=list)


def streaks_on(
    day: dt.date, person_ids: Iterable[int] | None = None
) -> dict[int, tuple[dt.date, int]]:
    """{person id: (first day, length)} of every on-site streak that includes `day`."""
    rows = DutyDay.objects.filter(
        mode=DutyDay.Mode.ON_SITE,
        date__lte=day,
        date__gt=day - dt.timedelta(days=LOOKBACK_DAYS),
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    days: dict[int, set[dt.date]] = {}
    for person_id, date in rows.values_list("person_id", "date").order_by():
        days.setdefault(person_id, set()).add(date)
    found = {}
    for person_id, dates in days.items():
        if day not in dates:
            continue
        first = day
        while first - dt.timedelta(days=1) in dates:
            first -= dt.timedelta(days=1)
        found[person_id] = (first, (day - first).days + 1)
    return found


def due_for_relief(day: dt.date, people: QuerySet[Person] | None = None) -> list[Streak]:
    """Everyone (of `people`) on site more than DUTY_MAX_CONSECUTIVE_DAYS days
    in a row on `day`, longest first, each with the relief their duty team
    could give. A fixed number of queries, however many are due: those on site
    every one of the last limit + 1 days are found by one grouped count, and
    only their streaks are walked back."""
    limit = settings.DUTY_MAX_CONSECUTIVE_DAYS
    rows = DutyDay.objects.filter(
        mode=DutyDay.Mode.ON_SITE, date__range=(day - dt.timedelta(days=limit), day)
    )
    if people is not None:
        rows = rows.filter(person__in=people)
    every_day = (
        rows.order_by()
        .values("person_id")
        .annotate(days=Count("pk"))
        .filter(days=limit + 1)
        .values_list("person_id", flat=True)
    )
    long = streaks_on(day, list(every_day))
    persons = Person.objects.in_bulk(list(long))
    relief = reliefs_for(list(persons.values()), day)
    found = [
        Streak(persons[pk], first, length, relief.get(pk, []))
        for pk, (first, length) in long.items()
        if length > limit
    ]
    found.sort(key=lambda streak: (-streak.days, streak.person.number))
    return found


def relief_for(person: Person, day: dt.date, limit: int = RELIEF_SUGGESTIONS) -> list[Person]:
    """Members of the person's staff duty teams who are not on site on `day`,
    fewest on-site days in the RECENT_DAYS before first."""
    return reliefs_for([person], day, limit).get(person.pk, [])


def reliefs_for(
    people: list[Person], day: dt.date, limit: int = RELIEF_SUGGESTIONS
) -> dict[int, list[Person]]:
    """`relief_for` of each of `people`, in three queries however many they are."""
    teams_of: dict[int, set[int]] = {}
    for person_id, team_id in Membership.objects.filter(
        team__kind=Team.Kind.STAFF_DUTY, person__in=people
    ).values_list("person_id", "team_id"):
        teams_of.setdefault(person_id, set()).add(team_id)
    if not teams_of:
        return {}
    member_of: dict[int, set[int]] = {}
    for team_id, person_id in Membership.objects.filter(
        team_id__in=set().union(*teams_of.values())
    ).values_list("team_id", "person_id"):
        member_of.setdefault(person_id, set()).add(team_id)
    on_site_today = DutyDay.objects.filter(date=day, mode=DutyDay.Mode.ON_SITE)
    recent = Q(
        duty_days__mode=DutyDay.Mode.ON_SITE,
        duty_days__date__lt=day,
        duty_days__date__gte=day - dt.timedelta(days=RECENT_DAYS),
    )
    candidates = list(
        Person.objects.filter(pk__in=list(member_of), status=Person.Status.PRESENT)
        .exclude(pk__in=on_site_today.values("person_id"))
        .annotate(recent_days=Count("duty_days", filter=recent))
        .order_by("recent_days", "number")
    )
    found: dict[int, list[Person]] = {}
    for person_id, teams in teams_of.items():
        chosen = found[person_id] = []
        for candidate in candidates:
            if candidate.pk != person_id and member_of[candidate.pk] & teams:
                chosen.append(candidate)
                if len(chosen) == limit:
                    break
    return found


def alert_recipients(person: Person) -> list[int]:
    """The leads of the person's duty teams and the leaders who reach them, not the person."""
    leads = Membership.objects.filter(
        team__kind=Team.Kind.STAFF_DUTY, team__memberships__person=person, is_lead=True
    ).values_list("person_id", flat=True)
    leaders = [leader.pk for leader in LeaderReach().over_person(person)]
    return sorted({pk for pk in [*leads, *leaders] if pk and pk != person.pk})


def message_key(streak: Streak, recipient_id: int) -> str:
    return f"duty-streak:{streak.person.pk}:{streak.first_day.isoformat()}:{recipient_id}"


def send_duty_alerts(day: dt.date) -> int:
    """Tell each recipient once per streak who is due a relief; returns how many were new."""
    messages = []
    for streak in due_for_relief(day):
        names = "、".join(person.name for person in streak.relief)
        title = _("%(name)s has been on site %(days)d days in a row") % {
            "name": streak.person.name,
            "days": streak.days,
        }
        body = (
            _("Suggested relief: %(names)s.") % {"names": names}
            if names
            else _("Nobody of their duty team is free that day.")
        )
        link = f"{reverse('volunteers:duty_roster')}?date={day.isoformat()}"
        messages += [
            Message(
                recipient_id=recipient,
                kind=ESCALATION,
                title=title,
                body=body,
                link=link,
                key=message_key(streak, recipient),
            )
            for recipient in alert_recipients(streak.person)
        ]
    return deliver(messages)


def longest_streak(first: dt.date, last: dt.date, people: Q | None = None) -> Streak | None:
    """The longest run of consecutive on-site days from `first` to `last`
    (a run reaching past either end counts its days inside), among the people
    `people` selects (a condition on the duty day, e.g. on `person__unit`);
    of runs as long, the earliest, then the person's number first. None when
    nobody was on site. One query for the days, whatever the number of people."""
    rows = DutyDay.objects.filter(mode=DutyDay.Mode.ON_SITE, date__range=(first, last))
    if people is not None:
        rows = rows.filter(people)
    best: tuple[int, dt.date, str, int] | None = None  # (days, first day, number, person)
    run: tuple[int, dt.date, dt.date] | None = None  # (person, first day, last day)

    def close(run: tuple[int, dt.date, dt.date], number: str) -> None:
        nonlocal best
        person_id, start, end = run
        candidate = ((end - start).days + 1, start, number, person_id)
        if best is None or (-candidate[0], candidate[1], candidate[2]) < (
            -best[0],
            best[1],
            best[2],
        ):
            best = candidate

    number = ""
    ordered = rows.order_by("person_id", "date").values_list("person_id", "person__number", "date")
    for person_id, person_number, date in ordered:
        if run is not None and run[0] == person_id and date == run[2] + dt.timedelta(days=1):
            run = (person_id, run[1], date)
            continue
        if run is not None:
            close(run, number)
        run, number = (person_id, date, date), person_number
    if run is not None:
        close(run, number)
    if best is None:
        return None
    days, start, _number, person_id = best
    return Streak(Person.objects.get(pk=person_id), start, days)
