"""The review's summary (评比总结) as a Word document and an Excel sheet:
the ranking with ties shown as ties, per-criterion means, breakthroughs and
counts per area."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from shouwang.lib.spreadsheets import write_xlsx
from shouwang.lib.wordfile import WordDocument

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
    document = WordDocument()
    document.heading(review.title, level=0)
    document.paragraph(
        _("%(plan)s · scores due %(day)s · sheets %(done)d of %(assigned)d")
        % {
            "plan": review.plan.title,
            "day": review.closes_on.isoformat(),
            "done": results.sheets_done,
            "assigned": results.sheets_assigned,
        }
    )
    document.heading(_("Criteria"))
    document.table(
        [_("criterion"), _("weight (%)"), _("full marks")],
        [[c.name, c.weight, c.max_points] for c in results.criteria],
    )
    document.heading(_("Ranking"))
    document.table(
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
    document.heading(_("Breakthroughs"))
    breakthroughs = [row.measure for row in results.rows if row.measure.is_breakthrough]
    for measure in breakthroughs:
        document.bullet(
            f"：{measure.breakthrough}" if measure.breakthrough else "", bold_lead=str(measure)
        )
    if not breakthroughs:
        document.paragraph(_("None."))
    document.heading(_("By area"))
    document.table(
        [_("area"), _("measures"), _("scored"), _("breakthroughs")],
        [list(counts) for counts in area_counts(results)],
    )
    return bytes(document)
