"""A plan's outline imported from the office's Excel sheet, with the rules of
every import (`shouwang.core.importing`): a check that writes nothing and
shows every bad row and every assumption, then a commit that writes only
what changed, so that the same file imported again changes nothing.

A row is one measure: 方面, 要点, 举措, 牵头单位, 负责人 (工号 or name), and
optionally 协同负责人, 开始日期, 完成时限, 预算 and 承担支部/先锋岗. A row
may leave its area or key point blank, meaning the row above's (the merged
cells of an outline made in Word); the numbering the cells carry ("一、",
"（一）", "1.") is the college's and is dropped: the outline numbers itself.
A measure is matched by its area's, key point's and own titles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core import audit
from shouwang.core.importing import (
    Check,
    CheckWarning,
    Column,
    Columns,
    Header,
    Importer,
    ParsedRow,
    RowError,
    RowWarning,
    parse_date,
)
from shouwang.lib import clock
from shouwang.lib.text import clean_name
from shouwang.people.forms import PEOPLE_SEPARATORS
from shouwang.people.models import Branch, Person, Unit
from shouwang.volunteers.models import Team

from . import actions
from .audit import WorkplanEvent
from .models import Area, KeyPoint, Measure, Plan, PlanImport

if TYPE_CHECKING:
    from shouwang.accounts.models import User

Progress = Callable[[int, int], None]

PLAN_COLUMNS = Columns(
    Column("area", gettext_lazy("area"), ("方面", "工作方面", "领域", "area")),
    Column("key_point", gettext_lazy("key point"), ("要点", "工作要点", "重点", "key point")),
    Column("measure", gettext_lazy("measure"), ("举措", "具体举措", "措施", "measure")),
    Column(
        "owner_unit",
        gettext_lazy("owner unit"),
        ("牵头单位", "责任单位", "牵头部门", "owner unit"),
    ),
    Column("owner", gettext_lazy("owner"), ("负责人", "牵头人", "责任人", "owner")),
    Column(
        "co_owners",
        gettext_lazy("co-owners"),
        ("协同负责人", "协同人", "协助人", "参与人", "co-owners"),
    ),
    Column("starts_on", gettext_lazy("starts on"), ("开始日期", "开始时间", "starts on")),
    Column(
        "due_on",
        gettext_lazy("due on"),
        ("完成时限", "截止日期", "完成时间", "截止时间", "due on"),
    ),
    Column("budget", gettext_lazy("budget (yuan)"), ("预算", "经费", "预算经费", "budget")),
    Column(
        "carrier",
        gettext_lazy("party branch or vanguard post"),
        ("承担支部/先锋岗", "承担支部", "先锋岗", "承担单位"),
    ),
    required=("area", "key_point", "measure", "owner_unit", "owner"),
    no_header=gettext_lazy(
        "no header row with 方面, 要点, 举措, 牵头单位 and 负责人 in the first rows"
    ),
)

# The college's numbering in front of a title: 一、 （一） (1) 1. 1、 第一项.
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]"
    r"|\d+\s*(?:[、)）]|[.．](?!\d))|第[一二三四五六七八九十百\d]+[项条点])\s*"
)
# 50000, 50,000, ¥5000.5, 5万, 5.5万元, 3000元.
_MONEY = re.compile(r"^[¥￥]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万)?\s*元?$")


def strip_numbering(text: str) -> str:
    """A title without the numbering the college puts in front of it."""
    return _NUMBERING.sub("", text, count=1).strip()


def parse_money(text: str) -> Decimal | None:
    """An amount of yuan ("5万" is 50000), or None if it is not one."""
    match = _MONEY.match(text)
    if not match:
        return None
    try:
        amount = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    if match.group(2):
        amount *= 10000
    return amount.quantize(Decimal("0.01"))


@dataclass(slots=True)
class OutlineRow:
    """One valid row: a measure, where it sits, and what the file states of it
    (None: the cell is blank, and the measure keeps what it has)."""

    row: int
    area: str
    key_point: str
    measure: str
    owner_unit_id: int
    owner_id: int
    co_owner_ids: list[int] = field(default_factory=list)
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    budget: Decimal | None = None
    branch_id: int | None = None
    post_id: int | None = None


class OutlineImporter(Importer[OutlineRow]):
    """An outline's rows checked against the stored units, staff, branches
    and vanguard posts."""

    columns = PLAN_COLUMNS

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.area = ""
        self.key_point = ""
        self.seen: dict[tuple[str, str, str], int] = {}

    def begin(self, check: Check[OutlineRow], header: Header) -> None:
        # Everyone and everything a row may name, read once before the first row.
        self.numbers: dict[str, int] = {}
        self.names: dict[str, list[int]] = {}
        for number, name, pk in (
            Person.objects.exclude(kind=Person.Kind.STUDENT)
            .order_by("pk")
            .values_list("number", "name", "pk")
        ):
            self.numbers[number] = pk
            self.names.setdefault(clean_name(name), []).append(pk)
        # A unit's name within the plan's college first, else the oldest of the name.
        own = Unit.subtree_ids([self.plan.unit_id])
        self.units: dict[str, int] = {}
        for name, pk in Unit.objects.order_by("-pk").values_list("name", "pk"):
            if self.units.get(name) not in own:
                self.units[name] = pk
        self.branches = dict(
            Branch.objects.filter(kind=Branch.Kind.PARTY).values_list("name", "pk")
        )
        self.posts = dict(
            Team.objects.filter(kind=Team.Kind.TEACHER_VANGUARD_POST).values_list("name", "pk")
        )

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[OutlineRow]:
        parsed: ParsedRow[OutlineRow] = ParsedRow()

        def error(field_name: str, reason: str) -> None:
            parsed.errors.append(RowError(row_number, field_name, reason))

        area, key_point = self._place(row_number, values, parsed, error)
        measure = strip_numbering(values["measure"])
        if not measure:
            error("measure", _("missing"))
        unit_id = self._unit(values["owner_unit"], error)
        owner_id = self._person("owner", values["owner"], error) if values["owner"] else None
        if not values["owner"]:
            error("owner", _("missing"))
        co_owner_ids: list[int] = []
        for part in PEOPLE_SEPARATORS.split(values["co_owners"]):
            pk = self._person("co_owners", part, error) if part else None
            if pk is not None and pk != owner_id and pk not in co_owner_ids:
                co_owner_ids.append(pk)
        starts_on = self._date("starts_on", values["starts_on"], error)
        due_on = self._date("due_on", values["due_on"], error)
        if starts_on and due_on and due_on < starts_on:
            error("due_on", _("falls before the start date"))
        budget = self._budget(values["budget"], error)
        branch_id, post_id = self._carrier(values["carrier"], error)
        key = (area, key_point, measure)
        if measure and key in self.seen:
            error("measure", _("repeats row %(row)d") % {"row": self.seen[key]})
        if parsed.errors or unit_id is None or owner_id is None:
            return parsed
        self.seen[key] = row_number
        parsed.value = OutlineRow(
            row=row_number,
            area=area,
            key_point=key_point,
            measure=measure,
            owner_unit_id=unit_id,
            owner_id=owner_id,
            co_owner_ids=co_owner_ids,
            starts_on=starts_on,
            due_on=due_on,
            budget=budget,
            branch_id=branch_id,
            post_id=post_id,
        )
        return parsed

    def _place(
        self,
        row_number: int,
        values: dict[str, str],
        parsed: ParsedRow[OutlineRow],
        error: Callable[[str, str], None],
    ) -> tuple[str, str]:
        """The row's area and key point; a blank one is the row above's."""
        area = strip_numbering(values["area"])
        key_point = strip_numbering(values["key_point"])
        if area:
            if area != self.area:
                self.key_point = ""  # a key point does not run into the next area
            self.area = area
        elif self.area:
            area = self.area
            parsed.warnings.append(RowWarning(row_number, "area_above", str(row_number)))
        else:
            error("area", _("missing, and no row above names one"))
        if key_point:
            self.key_point = key_point
        elif self.key_point:
            key_point = self.key_point
            parsed.warnings.append(RowWarning(row_number, "key_point_above", str(row_number)))
        else:
            error("key_point", _("missing, and no row above in this area names one"))
        return area, key_point

    def _unit(self, name: str, error: Callable[[str, str], None]) -> int | None:
        if not name:
            error("owner_unit", _("missing"))
            return None
        pk = self.units.get(name)
        if pk is None:
            error("owner_unit", _("no unit named %(name)s") % {"name": name})
        return pk

    def _person(self, key: str, text: str, error: Callable[[str, str], None]) -> int | None:
        """A member of staff by number, else by a name only one of them has."""
        pk = self.numbers.get(text.replace(" ", ""))
        if pk is not None:
            return pk
        named = self.names.get(clean_name(text), [])
        if len(named) == 1:
            return named[0]
        if named:
            error(
                key,
                _("%(count)d members of staff are named %(name)s: give the number (工号)")
                % {"count": len(named), "name": text},
            )
        else:
            error(key, _("no member of staff numbered or named %(text)s") % {"text": text})
        return None

    @staticmethod
    def _date(key: str, text: str, error: Callable[[str, str], None]) -> dt.date | None:
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            error(key, _("“%(value)s” is not a date such as 2022-06-30") % {"value": text})
        return day

    @staticmethod
    def _budget(text: str, error: Callable[[str, str], None]) -> Decimal | None:
        if not text:
            return None
        amount = parse_money(text)
        if amount is None or amount >= Decimal(10) ** 10:
            error(
                "budget",
                _("“%(value)s” is not an amount of yuan such as 50000 or 5万") % {"value": text},
            )
            return None
        return amount

    def _carrier(
        self, name: str, error: Callable[[str, str], None]
    ) -> tuple[int | None, int | None]:
        """The party branch or vanguard post named."""
        if not name:
            return None, None
        if name in self.branches:
            return self.branches[name], None
        if name in self.posts:
            return None, self.posts[name]
        error(
            "carrier",
            _("no party branch or vanguard post named %(name)s") % {"name": name},
        )
        return None, None

    def finish(self, check: Check[OutlineRow]) -> None:
        for code, message in (
            (
                "area_above",
                _(
                    "%(count)d rows leave the area blank: each is taken to be the area "
                    "of the row above: rows %(rows)s"
                ),
            ),
            (
                "key_point_above",
                _(
                    "%(count)d rows leave the key point blank: each is taken to be the key "
                    "point of the row above: rows %(rows)s"
                ),
            ),
        ):
            tally = check.tally(code)
            if tally.count:
                check.warnings.append(
                    CheckWarning(code, message % {"count": tally.count, "rows": tally.quoted()})
                )


def check_outline(
    rows: Iterable[Sequence[Any]], plan: Plan, progress: Progress | None = None
) -> Check[OutlineRow]:
    """Validate an outline for `plan`; nothing is written."""
    return OutlineImporter(plan).check(rows, progress)


# What a row states of a measure that is there already, and may change.
_STATED = ("owner_unit_id", "owner_id", "starts_on", "due_on", "budget", "branch_id", "post_id")


def _apply(measure: Measure, row: OutlineRow) -> bool:
    """Put what the row states on the measure; whether anything changed."""
    changed = False
    for name in _STATED:
        value = getattr(row, name)
        if value is None and name not in ("owner_unit_id", "owner_id"):
            continue  # a blank cell leaves the measure's value
        if getattr(measure, name) != value:
            setattr(measure, name, value)
            changed = True
    return changed


@transaction.atomic
def import_outline(plan: Plan, rows: Iterable[OutlineRow], *, acting_user: User) -> dict[str, int]:
    """Create the areas, key points and measures the rows name that the plan
    lacks, and update the owner, dates, budget, carrier and co-owners of the
    measures it has. Returns what it did, by count."""
    summary = dict.fromkeys(
        ("areas_created", "key_points_created", "created", "updated", "unchanged"), 0
    )
    areas = {area.title: area for area in Area.objects.filter(plan=plan)}
    points = {
        (point.area_id, point.title): point
        for point in KeyPoint.objects.filter(area__plan=plan).select_related("area__plan")
    }
    measures = {
        (measure.key_point_id, measure.title): measure
        for measure in Measure.objects.filter(key_point__area__plan=plan).prefetch_related(
            "co_owners"
        )
    }
    for row in rows:
        area = areas.get(row.area)
        if area is None:
            area = areas[row.area] = actions.save_area(
                Area(plan=plan, title=row.area), acting_user=acting_user
            )
            summary["areas_created"] += 1
        point = points.get((area.pk, row.key_point))
        if point is None:
            point = points[(area.pk, row.key_point)] = actions.save_key_point(
                KeyPoint(area=area, title=row.key_point), acting_user=acting_user
            )
            summary["key_points_created"] += 1
        measure = measures.get((point.pk, row.measure))
        if measure is None:
            measure = Measure(key_point=point, title=row.measure)
            _apply(measure, row)
            measures[(point.pk, row.measure)] = actions.save_measure(
                measure,
                co_owners=Person.objects.filter(pk__in=row.co_owner_ids),
                acting_user=acting_user,
            )
            summary["created"] += 1
            continue
        changed = _apply(measure, row)
        co_owners_now = {person.pk for person in measure.co_owners.all()}
        if changed or co_owners_now != set(row.co_owner_ids):
            actions.save_measure(
                measure,
                co_owners=Person.objects.filter(pk__in=row.co_owner_ids),
                acting_user=acting_user,
            )
            summary["updated"] += 1
        else:
            summary["unchanged"] += 1
    return summary


@transaction.atomic
def commit_outline(
    record: PlanImport, check: Check[OutlineRow], *, acting_user: User
) -> dict[str, int]:
    """Write the checked rows into the record's plan, and what changed on the record."""
    summary = import_outline(record.plan, check.rows, acting_user=acting_user)
    fields = record.store_check(check)
    record.summary = summary
    record.status = PlanImport.Status.COMMITTED
    record.committed_at = clock.now()
    record.save(update_fields=[*fields, "summary", "status", "committed_at"])
    audit.record(
        WorkplanEvent.PLAN_IMPORTED,
        record.plan,
        acting_user=acting_user,
        filename=record.filename,
        summary=summary,
    )
    return summary


# The downloadable template's example row.
EXAMPLE_ROW = [
    "一、本科教育",
    "（一）加强专业内涵建设",
    "1. 推进国家一流专业建设",
    "信息学院",
    "T1001",
    "张老师、李老师",
    "2022-03-01",
    "2022-12-31",
    "5万",
    "",
]
