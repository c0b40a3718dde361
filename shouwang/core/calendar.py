"""The school calendar (校历): which days are working days.

A Monday to Friday is a working day and a weekend day is not, unless a
`CalendarDay` says otherwise (a holiday, or a weekend day worked in exchange,
调休). Lessons are held on working days of their term; a limit of "3 working
days" (a leave's approval, an overdue request) counts these days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


class Calendar:
    """The calendar between two dates, read in one query."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        rows = CalendarDay.objects.filter(date__range=(first, last)).values_list(
            "date", "kind", "name"
        )
        self.exceptions: dict[dt.date, str] = {}
        self.names: dict[dt.date, str] = {}
        for day, kind, name in rows:
            self.exceptions[day], self.names[day] = kind, name

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == CalendarDay.Kind.WORKING_DAY
        return day.weekday() < 5

    def days(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY

    def working_days(self) -> list[dt.date]:
        return [day for day in self.days() if self.is_working_day(day)]


def is_working_day(day: dt.date) -> bool:
    return Calendar(day, day).is_working_day(day)


def working_days_between(first: dt.date, last: dt.date) -> int:
    """How many working days from `first` to `last`, both counted."""
    if last < first:
        return 0
    return len(Calendar(first, last).working_days())


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start` (a deadline of 3 working days)."""
    # Chinese holidays never run longer than a week and a half: a window of
    # three times the count plus a fortnight always holds enough working days.
    window = Calendar(start + ONE_DAY, start + dt.timedelta(days=count * 3 + 14))
    days = window.working_days()
    return days[count - 1] if count > 0 else start
