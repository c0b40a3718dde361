"""Issue slips (发放单): what a slip handed out, its signed QR code, and its printable PDF.

The QR holds the absolute URL of `supplies:slip_scan` with a signed token
(`lib.signed_codes`, as the door labels have) good for MAX_AGE. The receiver
scans it on their phone and confirms the supplies received.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib.clock import BEIJING
from shouwang.lib.pdf import FONT, a4_canvas, qr_drawing
from shouwang.lib.signed_codes import SignedCode

from .models import IssueSlip, Item, Movement, SupplyRequest

# A slip goes with the supplies and may be confirmed days later, but one found
# in a drawer next month must not confirm anything.
MAX_AGE = 14 * 24 * 3600
SLIP_CODE = SignedCode(
    salt="shouwang.supplies.issue-slip",
    max_age=lambda: MAX_AGE,
    expired=gettext_lazy("This slip's code has expired. Ask the store for the slip again."),
    altered=gettext_lazy(
        "This slip's code is not valid: it was not printed by this system or it was altered."
    ),
)


def token_for(slip: IssueSlip) -> str:
    return SLIP_CODE.token(slip.pk)


def slip_pk_from(token: str) -> int:
    """The slip a token names; raises CodeError if tampered with or expired."""
    return SLIP_CODE.pk_from(token)


@dataclass(frozen=True)
class SlipLine:
    """An item and how much of it a slip handed out, in base units."""

    item: Item
    quantity: Decimal

    @property
    def said(self) -> str:
        return self.item.say(self.quantity)


def slip_lines(slips: Iterable[IssueSlip]) -> dict[int, list[SlipLine]]:
    """What each slip handed out, per item, from the ledger: two queries for any number of slips."""
    ids = [slip.pk for slip in slips]
    totals = list(
        Movement.objects.filter(slip__in=ids, kind=Movement.Kind.ISSUED)
        .order_by()
        .values("slip", "item")
        .annotate(total=Sum("delta"))
        .values_list("slip", "item", "total")
    )
    items = Item.objects.prefetch_related("packs").in_bulk({item for _slip, item, _t in totals})
    lines: dict[int, list[SlipLine]] = {pk: [] for pk in ids}
    for slip, item, total in totals:
        lines[slip].append(SlipLine(items[item], -total))
    for found in lines.values():
        found.sort(key=lambda line: (line.item.category, line.item.name))
    return lines


def request_rows(supply_request: SupplyRequest) -> list[dict[str, Any]]:
    """Each line asked, approved and issued, said in units."""
    issued = dict(
        Movement.objects.filter(slip__request=supply_request, kind=Movement.Kind.ISSUED)
        .order_by()
        .values("item")
        .annotate(total=Sum("delta"))
        .values_list("item", "total")
    )
    rows = []
    for line in supply_request.lines.select_related("item").prefetch_related("item__packs"):
        out = -issued[line.item_id] if line.item_id in issued else None
        rows.append(
            {
                "item": line.item,
                "asked": line.item.say(line.asked),
                "approved": line.item.say(line.approved) if line.approved is not None else "",
                "issued": line.item.say(out) if out else "",
                "short": line.approved is not None and line.approved < line.asked,
            }
        )
    return rows


def meal_label(slip: IssueSlip) -> str:
    """The meal a slip goes with, as the door and the meal: nothing of the person."""
    meal = slip.meal_delivery
    if meal is None:
        return ""
    return (
        f"{meal.door} {date_format(meal.date, 'MONTH_DAY_FORMAT')} "
        f"{meal.slot.name} {meal.slot.time:%H:%M}"
    )


def slip_pdf(slip: IssueSlip, lines: list[SlipLine], url: str) -> bytes:
    """The printable slip: who it is for, the lines in their units, and the code to scan."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    request = slip.request
    buffer = io.BytesIO()
    pdf = a4_canvas(buffer, _("Issue slip #%(pk)s") % {"pk": slip.pk})
    width, height = A4
    left, top = 18 * mm, height - 20 * mm
    qr_size = 42 * mm
    renderPDF.draw(qr_drawing(url, qr_size), pdf, width - left - qr_size, top - qr_size)
    pdf.setFont(FONT, 8)
    pdf.drawString(width - left - qr_size, top - qr_size - 4 * mm, _("Scan to confirm receipt"))

    pdf.setFont(FONT, 20)
    pdf.drawString(left, top - 8 * mm, _("Issue slip #%(pk)s") % {"pk": slip.pk})
    pdf.setFont(FONT, 11)
    issuer = slip.issued_by.person if slip.issued_by else None
    rows = [
        # With a meal, the volunteer carries it: the door, not the person.
        (_("for"), meal_label(slip) if slip.meal_delivery_id else request.recipient),
        (_("purpose"), request.purpose),
        (_("request"), f"#{request.pk}"),
        (_("store"), f"{slip.store} {slip.store.place}".strip()),
        (_("issued at"), f"{slip.issued_at.astimezone(BEIJING):%Y-%m-%d %H:%M}"),
        (_("issued by"), issuer.name if issuer else "—"),
    ]
    y = top - 18 * mm
    for label, value in rows:
        pdf.drawString(left, y, f"{label}：{value}")
        y -= 7 * mm

    y = min(y, top - qr_size - 12 * mm) - 4 * mm
    pdf.setFont(FONT, 12)
    pdf.drawString(left, y, _("item"))
    pdf.drawString(left + 110 * mm, y, _("quantity"))
    pdf.line(left, y - 2 * mm, width - left, y - 2 * mm)
    y -= 9 * mm
    for line in lines:
        if y < 40 * mm:
            pdf.showPage()
            pdf.setFont(FONT, 12)
            y = top
        pdf.drawString(left, y, line.item.name)
        pdf.drawString(left + 110 * mm, y, line.said)
        y -= 8 * mm

    pdf.setFont(FONT, 11)
    pdf.drawString(left, 28 * mm, _("Received by: ________________"))
    pdf.save()
    return buffer.getvalue()
