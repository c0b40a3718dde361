"""A small Word (.docx) writer: headings, paragraphs, bullets and tables.

A .docx is a zip of WordprocessingML parts; the few a summary needs are
written here with the standard library, every text escaped. Word, WPS and
LibreOffice open the result; headings and bullets are drawn with direct
formatting, so the file needs no style sheet.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
# A4 in twips, with inch margins: the width text and tables take.
PAGE = (
    '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440"'
    ' w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>'
)
TEXT_WIDTH = 11906 - 2 * 1440
# Half-points: a title, a section heading, body text.
SIZES = {0: 36, 1: 28}
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    return (
        f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


class WordDocument:
    """Blocks added in order; `bytes()` gives the .docx file."""

    def __init__(self) -> None:
        self._blocks: list[str] = []

    def heading(self, text: str, level: int = 1) -> None:
        self._blocks.append(f"<w:p>{_run(text, bold=True, size=SIZES.get(level, 24))}</w:p>")

    def paragraph(self, text: str = "", *, bold_lead: str = "") -> None:
        lead = _run(bold_lead, bold=True) if bold_lead else ""
        self._blocks.append(f"<w:p>{lead}{_run(text) if text else ''}</w:p>")

    def bullet(self, text: str, *, bold_lead: str = "") -> None:
        lead = _run(f"• {bold_lead}", bold=True) if bold_lead else _run("• ")
        self._blocks.append(
            f'<w:p><w:pPr><w:ind w:left="360"/></w:pPr>{lead}{_run(text) if text else ""}</w:p>'
        )

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        def row(cells: Sequence[Any], bold: bool = False) -> str:
            return "<w:tr>{}</w:tr>".format(
                "".join(
                    f"<w:tc><w:p>{_run('' if cell is None else str(cell), bold=bold)}</w:p></w:tc>"
                    for cell in cells
                )
            )

        body = row(headers, bold=True) + "".join(row(cells) for cells in rows)
        grid = f'<w:gridCol w:w="{TEXT_WIDTH // len(headers)}"/>' * len(headers)
        self._blocks.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{BORDERS}'
            f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
            # Word wants a paragraph between two tables and after the last.
            "<w:p/>"
        )

    def __bytes__(self) -> bytes:
        document = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{NAMESPACE}"><w:body>{"".join(self._blocks)}'
            f"<w:sectPr>{PAGE}</w:sectPr></w:body></w:document>"
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", CONTENT_TYPES)
            package.writestr("_rels/.rels", RELATIONSHIPS)
            package.writestr("word/document.xml", document)
        return out.getvalue()
