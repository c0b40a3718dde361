"""Door labels: a signed QR code per delivery, and the printable sheet of them.

The QR holds the absolute URL of `care:delivery_scan` with a token that
`django.core.signing` signs with the site's secret and a timestamp: a token
edited by hand fails its signature, one older than CARE_QR_MAX_AGE (two days
by default) is expired, and either is refused with a message saying which.
One label per delivery (not per room and day): the slot's sheet goes with the
slot's round, and a scan confirms exactly that meal.
The label shows the door, the day and the meal, never the person.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from .models import Delivery

SALT = "shouwang.care.delivery-label"


class LabelError(Exception):
    """A scanned token that is not to be trusted; str() is the message for the user."""


def token_for(delivery: Delivery) -> str:
    return signing.dumps(delivery.pk, salt=SALT, compress=False)


def delivery_pk_from(token: str) -> int:
    """The delivery a token names; raises LabelError if tampered with or expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.CARE_QR_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LabelError(
            _("This door label has expired. Print today's labels and scan again.")
        ) from error
    except signing.BadSignature as error:
        raise LabelError(
            _("This door label is not valid: it was not printed by this system or it was altered.")
        ) from error
    if not isinstance(value, int):
        raise LabelError(_("This door label is not valid."))
    return value


# An A4 sheet of 2 × 4 labels.
COLUMNS, ROWS = 2, 4
FONT = "STSong-Light"


def label_sheet(deliveries: Sequence[Delivery], url_for: Callable[[Delivery], str]) -> bytes:
    """A PDF of door labels, one per delivery, in route order."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Door labels"))
    width, height = A4
    margin = 10 * mm
    cell_w = (width - 2 * margin) / COLUMNS
    cell_h = (height - 2 * margin) / ROWS
    per_page = COLUMNS * ROWS
    if not deliveries:
        pdf.setFont(FONT, 14)
        pdf.drawString(margin, height - margin - 14, _("No deliveries to label."))
    for index, delivery in enumerate(deliveries):
        if index and index % per_page == 0:
            pdf.showPage()
        position = index % per_page
        x = margin + (position % COLUMNS) * cell_w
        y = height - margin - (position // COLUMNS + 1) * cell_h
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
        size = min(cell_w, cell_h) - 34 * mm
        widget = QrCodeWidget(url_for(delivery))
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
        )
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, x + cell_w - size - 4 * mm, y + 10 * mm)
    pdf.save()
    return buffer.getvalue()
