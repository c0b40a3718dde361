"""The digest of new positions and job fairs, at most one a graduate a day.

Who gets it: the graduates still seeking work (`Graduate.destination` is
SEEKING, 待就业: those preparing for further study or not seeking for other
reasons get none, nor anyone placed) who have not muted it. What it lists:
the open positions (deadline not past) created since their last digest that
want their major (their own programme, else their class's), or every major;
and the fairs created since then that are not over, which are for every
graduate seeking work. A graduate who never had a digest is sent what came
in the last FIRST_DAYS days. Nothing new: no digest, and the window stays.

At most once a day: each digest is keyed `careers-digest:<day>:<person>`, so
a second run on the same day (the scheduler firing twice, a run resumed after
a crash) sends nobody a second one, and is told in one query whom to skip.
A batch's messages and its graduates' `digest_sent_at` are written in one
transaction: a run that dies halfway leaves every graduate either sent and
moved on, or neither.

Set-based: one query for the graduates, one for the new positions with their
majors, one for the new fairs, then a few statements per batch of graduates.
Graduates of one major sharing a window get the same digest, made once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from shouwang.lib import clock
from shouwang.notify.actions import deliver, not_yet_sent
from shouwang.notify.models import Message
from shouwang.people.models import Person

from .message_kinds import POSITIONS
from .models import Graduate, JobFair, Position, PositionMajor
from .queries import major_of

# A first digest looks back this many days.
FIRST_DAYS = 7
# How many positions (and fairs) a digest names; the rest are counted.
LISTED = 10
# Graduates sent to (and moved on) per transaction.
BATCH = 500


def key_prefix(day: dt.date) -> str:
    return f"careers-digest:{day.isoformat()}:"


@dataclass(frozen=True)
class Item:
    """A new position or fair as a digest names it."""

    at: dt.datetime
    text: str


@dataclass(frozen=True)
class News:
    """What came in since the earliest window, read once for every graduate."""

    # Positions by the major they want; "" for those wanting every major.
    positions: dict[str, list[Item]]
    fairs: list[Item]

    def for_graduate(self, major: str, since: dt.datetime) -> tuple[list[Item], list[Item]]:
        positions = [
            item
            for item in self.positions.get("", [])
            + (self.positions.get(major, []) if major else [])
            if item.at > since
        ]
        positions.sort(key=lambda item: item.at, reverse=True)
        return positions, [item for item in self.fairs if item.at > since]


def read_news(since: dt.datetime, now: dt.datetime) -> News:
    """The open positions and coming fairs created after `since` up to `now`: three queries."""
    today = timezone.localdate(now)
    positions = list(
        Position.objects.filter(created_at__gt=since, created_at__lte=now)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .select_related("employer")
        .only(
            "pk",
            "title",
            "city",
            "salary_min",
            "salary_max",
            "created_at",
            "employer__name",
            "employer__city",
        )
        .order_by("-created_at", "-pk")
    )
    majors: dict[int, list[str]] = defaultdict(list)
    for position_id, programme in PositionMajor.objects.filter(
        position__in=[position.pk for position in positions]
    ).values_list("position_id", "programme"):
        majors[position_id].append(programme)
    by_major: dict[str, list[Item]] = defaultdict(list)
    for position in positions:
        details = " · ".join(
            part for part in (position.city or position.employer.city, position.salary_said) if part
        )
        text = f"{position.employer.name} · {position.title}" + (
            f"（{details}）" if details else ""
        )
        item = Item(position.created_at, text)
        for major in majors.get(position.pk) or [""]:
            by_major[major].append(item)
    fairs = [
        Item(fair.created_at, f"{fair.title}（{fair.held_on:%m-%d} {fair.starts_at:%H:%M}）")
        for fair in JobFair.objects.filter(
            created_at__gt=since, created_at__lte=now, held_on__gte=today
        ).order_by("held_on", "starts_at")
    ]
    return News(dict(by_major), fairs)


def compose(positions: list[Item], fairs: list[Item]) -> tuple[str, str]:
    """A digest's title and body."""
    if positions and fairs:
        title = gettext("%(positions)s and %(fairs)s for you") % {
            "positions": _count_positions(len(positions)),
            "fairs": _count_fairs(len(fairs)),
        }
    elif positions:
        title = gettext("%(positions)s for you") % {"positions": _count_positions(len(positions))}
    else:
        title = gettext("%(fairs)s for you") % {"fairs": _count_fairs(len(fairs))}
    lines = []
    if fairs:
        lines.append(gettext("Job fairs:"))
        lines += [f"· {item.text}" for item in fairs[:LISTED]]
    if positions:
        lines.append(gettext("Positions for your major:"))
        lines += [f"· {item.text}" for item in positions[:LISTED]]
        if len(positions) > LISTED:
            lines.append(
                gettext("and %(count)d more on the positions page")
                % {"count": len(positions) - LISTED}
            )
    return title, "\n".join(lines)


def _count_positions(count: int) -> str:
    return ngettext("%(count)d new position", "%(count)d new positions", count) % {"count": count}


def _count_fairs(count: int) -> str:
    return ngettext("%(count)d job fair", "%(count)d job fairs", count) % {"count": count}


def recipients(day: dt.date) -> list[dict]:
    """The graduates a digest may go to today: seeking work, not muted, not
    yet sent today's. One query."""
    people = not_yet_sent(Person.objects.all(), key_prefix(day))
    return list(
        Graduate.objects.seeking()
        .filter(digest_muted=False, person__in=people)
        .annotate(major=major_of())
        .order_by("pk")
        .values("pk", "person_id", "major", "digest_sent_at")
    )


def send_digests(now: dt.datetime | None = None) -> int:
    """Send today's digest to every graduate with something new; returns how many were sent."""
    now = now or clock.now()
    day = timezone.localdate(now)
    first_since = now - dt.timedelta(days=FIRST_DAYS)
    graduates = recipients(day)
    if not graduates:
        return 0
    earliest = min((row["digest_sent_at"] or first_since for row in graduates), default=first_since)
    news = read_news(earliest, now)
    if not news.positions and not news.fairs:
        return 0
    link = reverse("careers:position_list") + "?mine=1"
    made: dict[tuple[str, dt.datetime], tuple[str, str] | None] = {}
    sent = 0
    for start in range(0, len(graduates), BATCH):
        messages: list[Message] = []
        reached: list[int] = []
        for row in graduates[start : start + BATCH]:
            window = (row["major"], row["digest_sent_at"] or first_since)
            if window not in made:
                positions, fairs = news.for_graduate(*window)
                made[window] = compose(positions, fairs) if positions or fairs else None
            digest = made[window]
            if digest is None:
                continue
            title, body = digest
            messages.append(
                Message(
                    recipient_id=row["person_id"],
                    kind=POSITIONS,
                    title=title,
                    body=body,
                    link=link,
                    key=key_prefix(day) + str(row["person_id"]),
                    created_at=now,
                )
            )
            reached.append(row["pk"])
        if messages:
            with transaction.atomic():
                sent += deliver(messages)
                Graduate.objects.filter(pk__in=reached).update(digest_sent_at=now)
    return sent
