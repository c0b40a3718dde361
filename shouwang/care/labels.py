"""Door labels: a signed QR code per delivery, and the printable sheet of them.

The QR holds the absolute URL of `care:delivery_scan` with a signed token
(`lib.signed_codes`) good for CARE_QR_MAX_AGE (two days by default).
One label per delivery (not per room and day): the slot's sheet goes with the
slot's round, and a scan confirms exactly that meal.
The label shows the door, the day and the meal, never the person.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib.pdf import FONT, Grid, a4_canvas, qr_drawing
from shouwang.lib.signed_codes import SignedCode

from .models import MealDelivery

DOOR_LABEL = SignedCode(
    salt="shouwang.care.delivery-label",
    max_age=lambda: settings.CARE_QR_MAX_AGE,
    expired=gettext_lazy("This door label has expired. Print today's labels and scan again."),
    altered=gettext_lazy(
        "This door label is not valid: it was not printed by this system or it was altered."
    ),
)


def token_for(delivery: MealDelivery) -> str:
    return DOOR_LABEL.token(delivery.pk)


def delivery_pk_from(token: str) -> int:
    """The delivery a token names; raises CodeError if tampered with or expired."""
    return DOOR_LABEL.pk_from(token)


# An A4 sheet of 2 × 4 labels.
GRID = Grid(columns=2, rows=4)


def label_sheet(
    deliveries: Sequence[MealDelivery], url_for: Callable[[MealDelivery], str]
) -> bytes:
    """A PDF of door labels, one per delivery, in route order."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.units import mm

    buffer = io.BytesIO()
    pdf = a4_canvas(buffer, _("Door labels"))
    cell_w, cell_h = GRID.cell_w, GRID.cell_h
    size = min(cell_w, cell_h) - 34 * mm
    if not deliveries:
        GRID.say_empty(pdf, _("No deliveries to label."))
    for index, delivery in enumerate(deliveries):
        x, y = GRID.place(pdf, index)
        pdf.setDash(3, 3)
        pdf.rect(x, y, cell_w, cell_h)
        pdf.setDash()
        pdf.setFont(FONT, 22)
        pdf.drawString(x + 6 * mm, y + cell_h - 14 * mm, delivery.door)
        pdf.setFont(FONT, 12)
        slot = delivery.slot
        pdf.drawString(
            x + 6 * mm,
            y + cell_h - 22 * mm,
            f"{delivery.date.month}月{delivery.date.day}日 {slot.name} {slot.time:%H:%M}",
        )
        pdf.setFont(FONT, 9)
        pdf.drawString(x + 6 * mm, y + 6 * mm, _("Scan to confirm this meal was delivered"))
        renderPDF.draw(
            qr_drawing(url_for(delivery), size), pdf, x + cell_w - size - 4 * mm, y + 10 * mm
        )
    pdf.save()
    return buffer.getvalue()
