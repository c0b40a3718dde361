"""The thank-you letter (捐赠证书) for a donation counted in: an A4 page in
Chinese naming the donor (always: it is their own letter, whatever they
wished for the public), the lines as received in the units they were given
in, the college (with its university) and the day.

reportlab through `shouwang.lib.pdf`, in the PDF's built-in Song font.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.lib import clock
from shouwang.lib.pdf import FONT, a4_canvas, wrap

from .models import Donation


def certificate_pdf(donation: Donation) -> bytes:
    """The letter as a PDF. The donation must have been counted in."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    page_w, page_h = A4
    left, right = 30 * mm, page_w - 30 * mm
    width = right - left
    buffer = io.BytesIO()
    pdf: Any = a4_canvas(buffer, _("Certificate of donation"))
    received = timezone.localtime(donation.received_at or clock.now(), clock.BEIJING)
    college = donation.unit.signing_name

    pdf.setLineWidth(2)
    pdf.rect(15 * mm, 15 * mm, page_w - 30 * mm, page_h - 30 * mm)
    pdf.setLineWidth(0.5)
    pdf.rect(18 * mm, 18 * mm, page_w - 36 * mm, page_h - 36 * mm)

    pdf.setFont(FONT, 30)
    pdf.drawCentredString(page_w / 2, page_h - 55 * mm, _("Certificate of donation"))

    y = page_h - 80 * mm
    pdf.setFont(FONT, 15)
    pdf.drawString(left, y, _("Dear %(donor)s:") % {"donor": donation.donor.display_name})
    y -= 12 * mm

    pdf.setFont(FONT, 13)
    opening = _("With heartfelt thanks for the supplies you donated to %(college)s on %(day)s:") % {
        "college": college,
        "day": date_format(received, "DATE_FORMAT"),
    }
    for text in wrap(opening, 13, width - 9 * mm):
        pdf.drawString(left + 9 * mm, y, text)
        y -= 8 * mm
    y -= 3 * mm
    for line in donation.lines.select_related("item").prefetch_related("item__packs"):
        if not line.received:
            continue
        if y < 50 * mm:  # a long list goes on over the page
            pdf.showPage()
            pdf.setFont(FONT, 13)
            y = page_h - 40 * mm
        pdf.drawString(left + 18 * mm, y, line.item.name)
        pdf.drawRightString(right - 18 * mm, y, line.said(line.received))
        y -= 8 * mm
    y -= 5 * mm
    thanks = _(
        "Your kindness and support give us strength in hard times. "
        "This certificate is presented with our sincere gratitude."
    )
    for text in wrap(thanks, 13, width - 9 * mm):
        pdf.drawString(left + 9 * mm, y, text)
        y -= 8 * mm

    y = max(min(y - 20 * mm, 80 * mm), 35 * mm)
    pdf.setFont(FONT, 14)
    pdf.drawRightString(right, y, college)
    pdf.drawRightString(right, y - 9 * mm, date_format(received, "DATE_FORMAT"))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
