"""捐赠: what was given to the college and counted in at its stores, item by
item in the unit the donor gave it in (30 箱 of 桶装方便面, not 720 桶)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.people.models import in_units_q
from shouwang.supplies.models import Donation, DonationLine, Donor, Item, plain

from ..figures import Scope, figure
from .links import link

PERIOD = _("donations counted in (received) in the period")
LIST = pgettext_lazy(
    "figure unit", "a list of {item, quantity, unit}, one per item and unit, in the order received"
)


def _lines(scope: Scope, *, members: bool) -> list[DonationLine]:
    """The lines counted in, of donations to the college or received at its
    stores; of its own people only if `members`."""

    def read() -> list[DonationLine]:
        lines = DonationLine.objects.filter(
            Q(donation__unit_id__in=scope.unit_ids)
            | Q(donation__store__unit_id__in=scope.unit_ids),
            scope.during("donation__received_at"),
            donation__status=Donation.Status.RECEIVED,
            received__gt=0,
        )
        if members:
            lines = lines.filter(
                in_units_q(scope.unit_ids, "donation__donor__person__"),
                donation__donor__kind=Donor.Kind.PERSON,
            )
        return list(
            lines.select_related("item", "donation__donor__person")
            .prefetch_related("item__packs")
            .order_by("donation__received_at", "donation_id", "position", "pk")
        )

    return scope.shared(f"donation_lines_{members}", read)


def _in_unit(item: Item, quantity: Decimal, unit: str) -> tuple[Decimal, str]:
    """A quantity in base units, in `unit` if it makes a whole number of it,
    else in the item's usual unit (or base unit)."""
    factors = item.factors()
    if unit in factors and (quantity / factors[unit]) % 1 == 0:
        return quantity / factors[unit], unit
    usual = item.usual_unit if item.usual_unit in factors else item.base_unit
    return quantity / factors[usual], usual


def _number(quantity: Decimal) -> int | float:
    return int(quantity) if quantity % 1 == 0 else float(round(quantity, 3))


def itemised(lines: list[DonationLine]) -> list[dict[str, Any]]:
    """[{"item", "quantity", "unit"}]: the lines summed by item and unit given."""
    found: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        assert line.received is not None  # noqa: S101 - filtered on received > 0
        quantity, unit = _in_unit(line.item, line.received, line.unit)
        key = (line.item.name, unit)
        found[key] = found.get(key, Decimal(0)) + quantity
    return [
        {"item": item, "quantity": _number(quantity), "unit": unit}
        for (item, unit), quantity in found.items()
    ]


def say_items(value: list[dict[str, Any]]) -> str:
    """防护服100套、免洗手消毒液700瓶."""
    return "、".join(
        f"{line['item']}{plain(Decimal(str(line['quantity'])))}{line['unit']}" for line in value
    )


def _donation_list(scope: Scope) -> str:
    return link("supplies:donation_list", status=Donation.Status.RECEIVED)


@figure(
    "donations",
    _("donations from the college's people"),
    population=_(
        "What people of the college (students, teachers and staff, as donors of the "
        "roster) gave to the college or to its stores, as counted in at the store."
    ),
    period=PERIOD,
    unit=LIST,
    list_url=_donation_list,
    say=say_items,
)
def donations(scope: Scope) -> list[dict[str, Any]]:
    return itemised(_lines(scope, members=True))


@figure(
    "donation_donors",
    _("donors of the college"),
    population=_(
        "The donors of the donations the figure donations counts, as the public reads "
        "them (a donor who asked not to be named is 匿名)."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "a list of names, in the order received"),
    list_url=_donation_list,
)
def donation_donors(scope: Scope) -> list[str]:
    names: list[str] = []
    for line in _lines(scope, members=True):
        name = str(line.donation.public_donor)
        if name not in names:
            names.append(name)
    return names


@figure(
    "donations_all",
    _("donations from everyone"),
    population=_(
        "What anyone (the college's people, alumni, parents, companies and others) gave "
        "to the college or to its stores, as counted in at the store."
    ),
    period=PERIOD,
    unit=LIST,
    list_url=_donation_list,
    say=say_items,
)
def donations_all(scope: Scope) -> list[dict[str, Any]]:
    return itemised(_lines(scope, members=False))
