"""Where a donation went: each line's received quantity followed through the
ledger to the units, teams and purposes it was issued for, the stores it
was moved between, what was written off or adjusted after a count, and what
remains in which store.

Set-based: whatever the number of movements, a trace costs three queries
(the lines, their items' units, and one grouped read of the movements of the
lines' batches), for one donation or for many. Recipients are named as the
public may read them (`SupplyRequest.public_recipient`): a unit or a team,
and never a person, whose requests are counted together as "individual
students and staff".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from shouwang.lib import clock

from .models import Donation, DonationLine, Movement

ZERO = Decimal(0)


@dataclass(frozen=True)
class Flow:
    """A quantity of a donation line that went somewhere: issued to a recipient
    for a purpose, moved to another store, or written off for a cause."""

    to: str
    quantity: Decimal
    said: str
    purpose: str = ""
    # For a transfer: the store it left.
    source: str = ""


@dataclass(frozen=True)
class Held:
    """What remains of a donation line in one store."""

    store: str
    quantity: Decimal
    said: str


@dataclass
class LineTrace:
    """One donation line followed through the ledger."""

    line: DonationLine
    received: Decimal = ZERO
    issued: list[Flow] = field(default_factory=list)
    transferred: list[Flow] = field(default_factory=list)
    written_off: list[Flow] = field(default_factory=list)
    # The net change of the counts (盘点): negative when less was found.
    adjusted: Decimal = ZERO
    remains: list[Held] = field(default_factory=list)

    def say(self, quantity: Decimal) -> str:
        return self.line.said(quantity)

    @property
    def issued_total(self) -> Decimal:
        return sum((flow.quantity for flow in self.issued), ZERO)

    @property
    def remaining(self) -> Decimal:
        return sum((held.quantity for held in self.remains), ZERO)

    @property
    def received_said(self) -> str:
        return self.say(self.received)

    @property
    def issued_said(self) -> str:
        return self.say(self.issued_total)

    @property
    def adjusted_said(self) -> str:
        return self.say(self.adjusted)

    @property
    def remaining_said(self) -> str:
        return self.say(self.remaining)


@dataclass
class Trace:
    """A donation's lines followed through the ledger, as read at `read_at`."""

    donation: Donation
    lines: list[LineTrace]
    read_at: dt.datetime

    @property
    def moved(self) -> bool:
        """Whether anything has left the store it was counted into, or been adjusted."""
        return any(
            line.issued or line.transferred or line.written_off or line.adjusted
            for line in self.lines
        )


# The grouped read: one row per line, kind, store, other store, cause,
# recipient and purpose, with the sum of the movements' changes.
GROUPS = (
    "batch__line",
    "kind",
    "store",
    "store__name",
    "other_store__name",
    "cause",
    "slip__request__for_unit",
    "slip__request__for_unit__name",
    "slip__request__for_team",
    "slip__request__for_team__name",
    "slip__request__purpose",
)


def _recipient(row: dict[str, Any]) -> tuple[tuple[str, int | None], str]:
    """The public key and name of an issue's recipient: a unit, a team, or
    individual people counted together (never named)."""
    if row["slip__request__for_unit"] is not None:
        return ("unit", row["slip__request__for_unit"]), row["slip__request__for_unit__name"]
    if row["slip__request__for_team"] is not None:
        return ("team", row["slip__request__for_team"]), row["slip__request__for_team__name"]
    return ("people", None), _("individual students and staff")


def traces(donations: Iterable[Donation]) -> dict[int, Trace]:
    """Each donation's trace by its pk, in three queries however many donations
    and movements there are."""
    by_pk = {donation.pk: donation for donation in donations}
    read_at = clock.now()
    if not by_pk:
        return {}
    lines = list(
        DonationLine.objects.filter(donation__in=list(by_pk))
        .select_related("item")
        .prefetch_related("item__packs")
    )
    traced = {line.pk: LineTrace(line) for line in lines}
    rows = (
        Movement.objects.filter(batch__line__in=list(traced))
        .order_by()
        .values(*GROUPS)
        .annotate(total=Sum("delta"))
    )
    issued: dict[int, dict[tuple[Any, ...], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    names: dict[tuple[Any, ...], str] = {}
    moved: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lost: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    held: dict[int, dict[tuple[int, str], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    causes = dict(Movement.Cause.choices)
    for row in rows:
        line_pk, kind, total = row["batch__line"], row["kind"], row["total"]
        trace = traced[line_pk]
        held[line_pk][(row["store"], row["store__name"])] += total
        if kind == Movement.Kind.RECEIVED:
            trace.received += total
        elif kind == Movement.Kind.ISSUED:
            key, name = _recipient(row)
            group = (*key, row["slip__request__purpose"] or "")
            names[group] = name
            issued[line_pk][group] -= total
        elif kind == Movement.Kind.TRANSFER_OUT:
            moved[line_pk][(row["store__name"], row["other_store__name"] or "")] -= total
        elif kind == Movement.Kind.WRITTEN_OFF:
            cause = str(causes.get(row["cause"], _("other causes")))
            lost[line_pk][cause] -= total
        elif kind == Movement.Kind.ADJUSTED:
            trace.adjusted += total
    for line_pk, trace in traced.items():
        say = trace.say
        trace.issued = sorted(
            (
                Flow(names[group], quantity, say(quantity), purpose=group[2])
                for group, quantity in issued[line_pk].items()
                if quantity
            ),
            key=lambda flow: (-flow.quantity, flow.to, flow.purpose),
        )
        trace.transferred = sorted(
            (
                Flow(to, quantity, say(quantity), source=source)
                for (source, to), quantity in moved[line_pk].items()
                if quantity
            ),
            key=lambda flow: (-flow.quantity, flow.source, flow.to),
        )
        trace.written_off = sorted(
            (Flow(cause, quantity, say(quantity)) for cause, quantity in lost[line_pk].items()),
            key=lambda flow: (-flow.quantity, flow.to),
        )
        trace.remains = sorted(
            (
                Held(store, quantity, say(quantity))
                for (_pk, store), quantity in held[line_pk].items()
                if quantity
            ),
            key=lambda place: (-place.quantity, place.store),
        )
    result = {pk: Trace(donation, [], read_at) for pk, donation in by_pk.items()}
    for line in lines:
        result[line.donation_id].lines.append(traced[line.pk])
    return result


def trace(donation: Donation) -> Trace:
    """Where a donation's lines went and what remains of them, in three queries."""
    return traces([donation])[donation.pk]
