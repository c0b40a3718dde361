"""Printable A4 sheets of cut-out cells (door labels, password slips), in Chinese.

reportlab is imported when a sheet is drawn: most processes never draw one.
CJK text is set in the PDF's built-in Song font, which every reader has.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FONT = "STSong-Light"
MARGIN_MM = 10


def a4_canvas(buffer: io.BytesIO, title: str) -> Any:
    """A compressed A4 canvas writing to `buffer`, with the CJK font registered."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    return pdf


def wrap(text: str, size: float, width: float) -> Iterator[str]:
    """`text` in lines no wider than `width` in the CJK font at `size`, broken
    between any two characters (Chinese has no spaces to break at)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    line = ""
    for char in text:
        if line and stringWidth(line + char, FONT, size) > width:
            yield line
            line = ""
        line += char
    if line:
        yield line


@dataclass(frozen=True)
class Grid:
    """`columns` × `rows` cells filling an A4 page within its margins."""

    columns: int
    rows: int

    @property
    def margin(self) -> float:
        from reportlab.lib.units import mm

        return MARGIN_MM * mm

    @property
    def cell_w(self) -> float:
        from reportlab.lib.pagesizes import A4

        return (A4[0] - 2 * self.margin) / self.columns

    @property
    def cell_h(self) -> float:
        from reportlab.lib.pagesizes import A4

        return (A4[1] - 2 * self.margin) / self.rows

    def place(self, pdf: Any, index: int) -> tuple[float, float]:
        """The lower-left corner of cell `index`, starting a new page when one is full."""
        from reportlab.lib.pagesizes import A4

        per_page = self.columns * self.rows
        if index and index % per_page == 0:
            pdf.showPage()
        position = index % per_page
        x = self.margin + (position % self.columns) * self.cell_w
        y = A4[1] - self.margin - (position // self.columns + 1) * self.cell_h
        return x, y

    def say_empty(self, pdf: Any, text: str) -> None:
        """A sheet with no cells says why, rather than printing blank."""
        from reportlab.lib.pagesizes import A4

        pdf.setFont(FONT, 14)
        pdf.drawString(self.margin, A4[1] - self.margin - 14, text)


def qr_drawing(data: str, size: float) -> Any:
    """A QR code of `data`, `size` points square, to draw with renderPDF.draw."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(data)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def qr_svg(data: str, size: float) -> bytes:
    """The QR code of `data` as an SVG image `size` pixels square, for a page's <img>."""
    from reportlab.graphics import renderSVG

    return renderSVG.drawToString(qr_drawing(data, size)).encode()
