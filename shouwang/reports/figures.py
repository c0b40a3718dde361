"""The chronicle's figures: each one a named query over the data.

A figure has a key (the name `manage.py chronicle --json` prints), a label, a
definition saying what it counts (its population, its period and its unit),
the query that counts it for a `Scope` (a college over a period), and where
an authorised reader finds the list it counts. Nothing here names a college:
the same queries give any imported college its own figures.

A value is what JSON can hold: a number, a string, a list (of names, or of
`{"item", "quantity", "unit"}` for donations), a mapping, or None when there
is nothing to count (no plan for the year, no delivery). `Figure.said(value)`
writes it as a sentence of the chronicle does: 97.3%, 甲志愿服务队、乙志愿服务队,
防护服100套、免洗手消毒液700瓶.

The queries live in `figure_queries`, one module per domain; `docs/chronicle.md`
lists every key with its population, period and unit (`doc_table`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.lib import clock
from shouwang.people.models import Person, Unit, in_units_q

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shouwang.incidents.models import Incident


class ScopeError(ValueError):
    """A chronicle that cannot be scoped as asked (no college, an empty period)."""


def college_of(incident: Incident) -> Unit:
    """The one unit an incident covers; ScopeError when it covers none or several
    (then the chronicle must be told which college it is about)."""
    units = list(incident.units.order_by("name"))
    if len(units) != 1:
        raise ScopeError(
            _("The incident covers %(count)d units (%(names)s): name the college.")
            % {"count": len(units), "names": "、".join(unit.name for unit in units) or "-"}
        )
    return units[0]


@dataclass(frozen=True)
class Scope:
    """What a chronicle counts: a college (a unit and everything below it)
    from `first` to `last`, both included, and the incident it tells of."""

    unit: Unit
    first: dt.date
    last: dt.date
    incident: Incident | None = None
    # Reads several figures share (the year's plan, the fairs), kept for one
    # `compute`: it starts with an empty memo, so figures are always fresh.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ScopeError(_("The period ends before it begins."))

    @classmethod
    def of_incident(
        cls,
        incident: Incident,
        unit: Unit | None = None,
        last: dt.date | None = None,
        *,
        first: dt.date | None = None,
    ) -> Scope:
        """The incident's days, from its start (or `first`) to its close (or
        `last`, or today while it runs), for `unit` (by default the one unit
        the incident covers)."""
        if unit is None:
            unit = college_of(incident)
        if first is None:
            first = timezone.localdate(incident.started_at)
        if last is None:
            last = timezone.localdate(incident.closed_at) if incident.closed_at else clock.today()
        return cls(unit=unit, first=first, last=last, incident=incident)

    @cached_property
    def unit_ids(self) -> set[int]:
        return self.unit.descendant_ids()

    @property
    def starts(self) -> dt.datetime:
        """The period's first moment (Beijing midnight of `first`)."""
        return clock.at(self.first, dt.time())

    @property
    def ends(self) -> dt.datetime:
        """The moment after the period (Beijing midnight after `last`)."""
        return clock.at(self.last + dt.timedelta(days=1), dt.time())

    def during(self, path: str) -> Q:
        """The moments at `path` (a datetime field) within the period."""
        return Q(**{f"{path}__gte": self.starts, f"{path}__lt": self.ends})

    def people_q(self, path: str = "") -> Q:
        """The college's people, as a condition on the person at `path`."""
        return in_units_q(self.unit_ids, path)

    def people(self) -> Any:
        """The college's people at school (not left, not graduated)."""
        return Person.objects.filter(self.people_q(), status=Person.Status.PRESENT)

    def shared(self, name: str, read: Callable[[], Any]) -> Any:
        """`read()` once per compute, for the figures that share it."""
        if name not in self.memo:
            self.memo[name] = read()
        return self.memo[name]


def _said(value: Any) -> str:
    """A value as a sentence writes it, when its figure says nothing else."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal):
        return f"{value:g}" if isinstance(value, float) else format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return "、".join(_said(item) for item in value)
    if isinstance(value, dict):
        return "、".join(f"{key}{_said(item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    # What it counts: the population, the period and the unit.
    definition: str | Promise
    count: Callable[[Scope], Any]
    # The list it counts, for a reader allowed to open it (None: no list).
    list_url: Callable[[Scope], str | None] | None = None
    # The definition's three parts, as docs/chronicle.md lists them.
    population: str | Promise = ""
    period: str | Promise = ""
    unit: str | Promise = ""
    # How a sentence writes a value (None: numbers as they are, lists joined with 、).
    say: Callable[[Any], str] | None = None

    def url(self, scope: Scope) -> str | None:
        return self.list_url(scope) if self.list_url is not None else None

    def said(self, value: Any) -> str:
        """The value as a sentence of the chronicle writes it."""
        return self.say(value) if self.say is not None else _said(value)


FIGURES: dict[str, Figure] = {}


def figure(
    key: str,
    label: str | Promise,
    definition: str | Promise = "",
    list_url: Callable[[Scope], str | None] | None = None,
    *,
    population: str | Promise = "",
    period: str | Promise = "",
    unit: str | Promise = "",
    say: Callable[[Any], str] | None = None,
) -> Callable[[Callable[[Scope], Any]], Callable[[Scope], Any]]:
    """Register the decorated query as the figure `key`. Without a
    `definition`, it is written from the population, period and unit."""
    if not definition:
        definition = format_lazy(
            _("{population} Period: {period}. Unit: {unit}."),
            population=population,
            period=period,
            unit=unit,
        )

    def register(count: Callable[[Scope], Any]) -> Callable[[Scope], Any]:
        if key in FIGURES:
            raise ValueError(f"the figure {key} is defined twice")
        FIGURES[key] = Figure(
            key, label, definition, count, list_url, population, period, unit, say
        )
        return count

    return register


def compute(scope: Scope, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """{key: value} of the named figures (every figure if None), in key order."""
    chosen = sorted(FIGURES) if keys is None else list(keys)
    scope.memo.clear()
    try:
        return {key: FIGURES[key].count(scope) for key in chosen}
    finally:
        scope.memo.clear()


def doc_table() -> str:
    """The Markdown table of every figure, in English: key, label,
    population, period, unit (docs/chronicle.md holds it; a test checks it is
    current). Print it with `python manage.py shell -c "from
    shouwang.reports.figures import doc_table; print(doc_table())"`."""
    with translation.override("en"):
        return _table()


def _table() -> str:
    lines = [
        "| key | figure | population | period | unit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in sorted(FIGURES):
        found = FIGURES[key]
        cells = [f"`{key}`", found.label, found.population or found.definition]
        cells += [found.period, found.unit]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
