"""Make the Word template the chronicle's .docx is filled from:
`python shouwang/reports/make_chronicle_docx.py` writes
`templates/reports/chronicle.docx` (committed; run this again after a change).

A4, Song for Chinese text, paragraphs indented by two characters; docxtpl's
tags (`{%p ... %}` on paragraphs of their own) loop over the account's
blocks (headings and paragraphs) and over the figures' notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# chronicle_files.DOCX_TEMPLATE; this script runs without Django.
DOCX_TEMPLATE = Path(__file__).parent / "templates" / "reports" / "chronicle.docx"

SONG = "宋体"
HEI = "黑体"


def _fonts(style: Any, east_asian: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.size = Pt(size)
    style.font.name = "Times New Roman"
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def build(path: Path = DOCX_TEMPLATE) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))

    normal = document.styles["Normal"]
    _fonts(normal, SONG, 12)
    normal.paragraph_format.first_line_indent = Pt(24)
    normal.paragraph_format.line_spacing = 1.5
    title = document.styles["Title"]
    _fonts(title, HEI, 18)
    title.font.color.rgb = RGBColor(0, 0, 0)
    heading = document.styles["Heading 2"]
    _fonts(heading, HEI, 14)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    note = document.styles["Caption"]
    _fonts(note, SONG, 9)
    note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    note.font.italic = False

    def tag(text: str) -> None:
        document.add_paragraph(text)

    document.add_paragraph("{{ title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ state }}", style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag("{%p for block in blocks %}")
    tag("{%p if block.heading %}")
    document.add_paragraph("{{ block.text }}", style="Heading 2")
    tag("{%p else %}")
    document.add_paragraph("{{ block.text }}")
    tag("{%p endif %}")
    tag("{%p endfor %}")
    document.add_paragraph("{{ byline }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tag("{%p if legend %}")
    document.add_paragraph("数据说明", style="Heading 2")
    tag("{%p for item in legend %}")
    document.add_paragraph(
        "{{ item.label }}：{{ item.said }}。{{ item.definition }}", style="Caption"
    )
    tag("{%p endfor %}")
    document.add_paragraph("数据统计时间：{{ counted_at }}", style="Caption")
    tag("{%p endif %}")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
