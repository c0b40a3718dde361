"""What an issue of initial passwords hands over: a sheet and cut-out slips."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.lib.pdf import FONT, Grid, a4_canvas, qr_drawing
from shouwang.lib.spreadsheets import write_xlsx

from .actions import Slip

# An A4 sheet of 2 × 5 slips; CJK text in the PDF's built-in Song font (lib.pdf), as on
# the door labels (care.labels), and the password in Courier, where 2 and Z,
# 5 and S look unlike.
GRID = Grid(columns=2, rows=5)
MONO = "Courier-Bold"


def sheet(slips: Sequence[Slip], login_url: str, expires_at: datetime) -> bytes:
    """The .xlsx list: number, name, class, initial password, login address, valid until."""
    until = f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M}"
    headers = [
        _("Number"),
        _("Name"),
        _("Class"),
        _("Initial password"),
        _("Login address"),
        _("Valid until"),
    ]
    rows = ([s.number, s.name, s.class_name, s.password, login_url, until] for s in slips)
    return write_xlsx(headers, rows, title=_("Initial passwords"))


def slips_pdf(slips: Sequence[Slip], login_url: str, expires_at: datetime) -> bytes:
    """A PDF of cut-out slips, one per person, each with a QR code of the login address."""
    from reportlab import rl_config
    from reportlab.graphics import renderPDF
    from reportlab.lib.units import mm

    buffer = io.BytesIO()
    pdf = a4_canvas(buffer, _("Initial passwords"))
    cell_w, cell_h = GRID.cell_w, GRID.cell_h
    qr_size = cell_h - 16 * mm
    drawing = qr_drawing(login_url, qr_size)
    site = str(settings.SITE_NAME)
    until = _("Valid until %(date)s; change it at your first login.") % {
        "date": f"{timezone.localtime(expires_at):%Y-%m-%d}"
    }
    scan = _("Scan or open %(url)s") % {"url": login_url}
    text_x = 5 * mm
    # What every slip shows alike (the frame, the labels, the address and its
    # QR code) is drawn once, as a form each slip reuses: 30,000 slips are
    # then quick to make and the file stays small.
    pdf.beginForm("slip")
    pdf.setDash(3, 3)
    pdf.rect(0, 0, cell_w, cell_h)
    pdf.setDash()
    pdf.setFont(FONT, 9)
    pdf.drawString(text_x, cell_h - 8 * mm, site)
    pdf.drawString(text_x, cell_h - 22 * mm, _("Number"))
    pdf.drawString(text_x, cell_h - 32 * mm, _("Initial password"))
    pdf.setFont(FONT, 7)
    pdf.drawString(text_x, 8 * mm, until)
    pdf.drawString(text_x, 4 * mm, scan)
    renderPDF.draw(drawing, pdf, cell_w - qr_size - 4 * mm, 10 * mm)
    pdf.endForm()

    if not slips:
        GRID.say_empty(pdf, _("No passwords were issued."))
    for index, slip in enumerate(slips):
        x, y = GRID.place(pdf, index)
        pdf.saveState()
        pdf.translate(x, y)
        pdf.doForm("slip")
        pdf.setFont(FONT, 13)
        pdf.drawString(text_x, cell_h - 15 * mm, f"{slip.name}  {slip.class_name}")
        pdf.setFont(MONO, 13)
        pdf.drawString(text_x, cell_h - 27 * mm, slip.number)
        pdf.setFont(MONO, 15)
        pdf.drawString(text_x, cell_h - 38 * mm, slip.password)
        pdf.restoreState()
    # Streams compressed but not ASCII85-encoded: reportlab's pure-Python
    # encoder took longer than drawing the slips.
    use_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        pdf.save()
    finally:
        rl_config.useA85 = use_a85
    return buffer.getvalue()
