"""The review's summary (评比总结) as a Word document and an Excel sheet:
the ranking with ties shown as ties, per-criterion means, breakthroughs and
counts per area."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject

from shouwang.lib.spreadsheets import write_xlsx

from .reviews import MeasureResult, Results


def place_label(row: MeasureResult) -> str:
    """1, 2（并列）, or a dash for a measure without a complete sheet."""
    if row.place is None:
        return "—"
    return f"{row.place}（{_('tied')}）" if row.tied else str(row.place)


def _number(value: Decimal | None) -> Any:
    return "" if value is None else float(value)


def ranking_headers(results: Results) -> list[str]:
    return [
        _("place"),
        _("area"),
        _("measure"),
        _("owner unit"),
        _("owner"),
        _("score"),
        *[criterion.name for criterion in results.criteria],
        _("sheets done"),
        _("sheets assigned"),
        _("breakthrough"),
    ]


def ranking_rows(results: Results) -> list[list[Any]]:
    return [
        [
            place_label(row),
            str(row.measure.key_point.area),
            f"{row.measure.key_point.label}{row.measure}",
            str(row.measure.owner_unit),
            row.measure.owner.name,
            _number(row.score),
            *[_number(value) for value in row.criterion_list(results.criteria)],
            row.done,
            row.assigned,
            _("yes") if row.measure.is_breakthrough else "",
        ]
        for row in results.rows
    ]


def summary_xlsx(results: Results) -> bytes:
    return write_xlsx(ranking_headers(results), ranking_rows(results), title=_("Ranking"))


def area_counts(results: Results) -> list[tuple[str, int, int, int]]:
    """Per area: measures, measures with a score, breakthroughs."""
    measures: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    breakthroughs: Counter[str] = Counter()
    areas: list[str] = []
    for row in sorted(results.rows, key=lambda row: row.measure.key_point.area.number):
        area = str(row.measure.key_point.area)
        if area not in measures:
            areas.append(area)
        measures[area] += 1
        scored[area] += row.score is not None
        breakthroughs[area] += row.measure.is_breakthrough
    return [(area, measures[area], scored[area], breakthroughs[area]) for area in areas]


def summary_docx(results: Results) -> bytes:
    review = results.review
    document = Document()
    document.add_heading(review.title, level=0)
    document.add_paragraph(
        _("%(plan)s · scores due %(day)s · sheets %(done)d of %(assigned)d")
        % {
            "plan": review.plan.title,
            "day": review.closes_on.isoformat(),
            "done": results.sheets_done,
            "assigned": results.sheets_assigned,
        }
    )
    document.add_heading(_("Criteria"), level=1)
    _table(
        document,
        [_("criterion"), _("weight (%)"), _("full marks")],
        [[c.name, c.weight, c.max_points] for c in results.criteria],
    )
    document.add_heading(_("Ranking"), level=1)
    _table(
        document,
        [_("place"), _("measure"), _("owner unit"), _("owner"), _("score"), _("sheets")],
        [
            [
                place_label(row),
                row.measure,
                row.measure.owner_unit,
                row.measure.owner.name,
                row.score,
                f"{row.done}/{row.assigned}",
            ]
            for row in results.rows
        ],
    )
    document.add_heading(_("Breakthroughs"), level=1)
    breakthroughs = [row.measure for row in results.rows if row.measure.is_breakthrough]
    for measure in breakthroughs:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(str(measure)).bold = True
        if measure.breakthrough:
            paragraph.add_run(f"：{measure.breakthrough}")
    if not breakthroughs:
        document.add_paragraph(_("None."))
    document.add_heading(_("By area"), level=1)
    _table(
        document,
        [_("area"), _("measures"), _("scored"), _("breakthroughs")],
        [list(counts) for counts in area_counts(results)],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: DocumentObject, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A table with a bold header row; None shows as an empty cell."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(str(header)).bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if value is None else str(value)
