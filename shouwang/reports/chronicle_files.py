"""The chronicle as files to hand on: a Word document and a PDF.

Both carry the title, the account with its figures said, the byline, and a
closing note of every figure used: what it counts and when it was counted
(live for a draft, frozen for a published chronicle), so that a reader of
the file can trace each number as the editor's reader can.

The files are the college's documents, in its words (Chinese), like the
prose they carry. The Word file fills `templates/reports/chronicle.docx` with docxtpl; that
template is made by `make_chronicle_docx.py` beside this module (run it again
after changing it). The PDF is drawn with reportlab through `shouwang.lib.pdf`,
in the PDF's built-in Song font, as the labels and certificates are: nothing
to install beyond Python packages.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from shouwang.lib.pdf import FONT, a4_canvas, wrap

from .chronicle import Reading, counted_at_said

DOCX_TEMPLATE = Path(__file__).parent / "templates" / "reports" / "chronicle.docx"
# Chinese paragraphs open with two full-width spaces.
INDENT = "\u3000\u3000"


def _context(reading: Reading) -> dict[str, Any]:
    # The notes on the figures in the document's language, whoever exports it.
    with translation.override(settings.LANGUAGE_CODE):
        return _said_context(reading)


def _said_context(reading: Reading) -> dict[str, Any]:
    chronicle = reading.chronicle
    moment = counted_at_said(reading.counted_at)
    if reading.live:
        state = f"草稿，数据统计至{moment}，发布时固定"
    else:
        state = f"数据统计于{moment}"
    return {
        "title": chronicle.title,
        "state": state,
        "blocks": [{"text": block.text, "heading": block.heading} for block in reading.blocks()],
        "byline": f"（{chronicle.byline}）" if chronicle.byline else "",
        "legend": [
            {"label": item.label, "said": item.said, "definition": item.definition}
            for item in reading.legend()
        ],
        "counted_at": moment,
    }


def docx_bytes(reading: Reading) -> bytes:
    """The chronicle as a Word document."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    document = DocxTemplate(DOCX_TEMPLATE)
    context = _context(reading)
    document.render(context, autoescape=True)
    document.docx.core_properties.title = context["title"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Page:
    """Lines set down an A4 page from the top, a new page when one is full."""

    def __init__(self, pdf: Any):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm

        self.pdf = pdf
        self.left = 25 * mm
        self.width = A4[0] - 50 * mm
        self.top = A4[1] - 25 * mm
        self.bottom = 25 * mm
        self.y = self.top

    def text(self, text: str, size: float, *, gap: float = 0.6, centred: bool = False) -> None:
        leading = size * 1.7
        for line in wrap(text, size, self.width):
            if self.y - leading < self.bottom:
                self.pdf.showPage()
                self.y = self.top
            self.y -= leading
            self.pdf.setFont(FONT, size)
            if centred:
                self.pdf.drawCentredString(self.left + self.width / 2, self.y, line)
            else:
                self.pdf.drawString(self.left, self.y, line)
        self.y -= size * gap


def pdf_bytes(reading: Reading) -> bytes:
    """The chronicle as an A4 PDF."""
    context = _context(reading)
    buffer = io.BytesIO()
    pdf = a4_canvas(buffer, context["title"])
    pdf.setAuthor(reading.chronicle.byline)
    page = _Page(pdf)
    page.text(context["title"], 16, gap=0.4, centred=True)
    page.text(context["state"], 9, gap=1.2, centred=True)
    for block in context["blocks"]:
        if block["heading"]:
            page.text(block["text"], 13, gap=0.5)
        else:
            page.text(INDENT + block["text"], 11)
    if context["byline"]:
        page.text(context["byline"], 11, gap=1.5)
    if context["legend"]:
        page.text("数据说明", 11)
        for item in context["legend"]:
            page.text(f"{item['label']}：{item['said']}。{item['definition']}", 9, gap=0.3)
        page.text(f"数据统计时间：{context['counted_at']}", 9)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
