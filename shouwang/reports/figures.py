"""The chronicle's figures: each one a named query over the data.

A figure has a key (the name `manage.py chronicle --json` prints), a label, a
definition saying what it counts (its population, its period and its unit),
the query that counts it for a `Scope` (a college over a period), and where
an authorised reader finds the list it counts. Nothing here names a college:
the same queries give any imported college its own figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from shouwang.lib import clock
from shouwang.people.models import Person, Unit, in_units_q

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shouwang.incidents.models import Incident


@dataclass(frozen=True)
class Scope:
    """What a chronicle counts: a college (a unit and everything below it)
    from `first` to `last`, both included, and the incident it tells of."""

    unit: Unit
    first: dt.date
    last: dt.date
    incident: Incident | None = None

    @classmethod
    def of_incident(cls, incident: Incident, unit: Unit, last: dt.date | None = None) -> Scope:
        """The incident's days, from its start to its close (or `last`, or
        today while it runs)."""
        first = timezone.localdate(incident.started_at)
        if last is None:
            last = timezone.localdate(incident.closed_at) if incident.closed_at else clock.today()
        return cls(unit=unit, first=first, last=last, incident=incident)

    @cached_property
    def unit_ids(self) -> set[int]:
        return self.unit.descendant_ids()

    def people_q(self, path: str = "") -> Q:
        """The college's people, as a condition on the person at `path`."""
        return in_units_q(self.unit_ids, path)

    def people(self) -> Any:
        """The college's people at school (not left, not graduated)."""
        return Person.objects.filter(self.people_q(), status=Person.Status.PRESENT)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    # What it counts: the population, the period and the unit.
    definition: str | Promise
    count: Callable[[Scope], Any]
    # The list it counts, for a reader allowed to open it (None: no list).
    list_url: Callable[[Scope], str | None] | None = None

    def url(self, scope: Scope) -> str | None:
        return self.list_url(scope) if self.list_url is not None else None


FIGURES: dict[str, Figure] = {}


def figure(
    key: str,
    label: str | Promise,
    definition: str | Promise,
    list_url: Callable[[Scope], str | None] | None = None,
) -> Callable[[Callable[[Scope], Any]], Callable[[Scope], Any]]:
    """Register the decorated query as the figure `key`."""

    def register(count: Callable[[Scope], Any]) -> Callable[[Scope], Any]:
        if key in FIGURES:
            raise ValueError(f"the figure {key} is defined twice")
        FIGURES[key] = Figure(key, label, definition, count, list_url)
        return count

    return register


def compute(scope: Scope, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """{key: value} of the named figures (every figure if None), in key order."""
    chosen = sorted(FIGURES) if keys is None else list(keys)
    return {key: FIGURES[key].count(scope) for key in chosen}
