"""Employers and their positions imported from the list an employer sends,
with the rules of every import (`shouwang.core.importing`): a check that
writes nothing and shows every bad row and every assumption, then a commit
that writes only what changed, so that the same file imported again changes
nothing.

A row is one position with its employer: 单位名称, 岗位名称, and optionally
所属行业, 所在城市, 联系人, 联系电话, 邮箱, 需求专业 (several, separated by
、，; or "不限" for every major), 工作城市, 薪资 ("6000-9000", "8k-12k",
"1万以上", "面议"), 招聘人数 and 截止日期. A row may leave the employer blank,
meaning the row above's (an employer's cell merged over its positions). A row
with no position names the employer alone.

An employer is matched by its name, a position by its employer and title; a
blank cell leaves what is stored as it is. An employer named in several rows
takes each of its details from the first row that gives it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
from shouwang.lib.text import clean_phone

from . import actions
from .audit import CareersEvent
from .models import Employer, EmployerImport, Position
from .queries import roster_programmes

if TYPE_CHECKING:
    from shouwang.accounts.models import User

Progress = Callable[[int, int], None]

EMPLOYER_COLUMNS = Columns(
    Column(
        "employer",
        gettext_lazy("employer"),
        ("单位名称", "用人单位", "企业名称", "单位", "employer"),
    ),
    Column("sector", gettext_lazy("sector"), ("所属行业", "行业", "单位性质", "sector")),
    Column("city", gettext_lazy("city"), ("所在城市", "所在地", "单位地址", "city")),
    Column("contact_name", gettext_lazy("contact"), ("联系人", "contact")),
    Column(
        "contact_phone",
        gettext_lazy("contact phone"),
        ("联系电话", "电话", "手机", "联系方式", "phone"),
    ),
    Column(
        "contact_email",
        gettext_lazy("contact e-mail"),
        ("邮箱", "电子邮箱", "简历投递邮箱", "e-mail"),
    ),
    Column(
        "title", gettext_lazy("position"), ("岗位名称", "招聘岗位", "职位名称", "岗位", "position")
    ),
    Column("majors", gettext_lazy("majors wanted"), ("需求专业", "专业要求", "专业", "majors")),
    Column("work_city", gettext_lazy("work city"), ("工作城市", "工作地点", "work city")),
    Column("salary", gettext_lazy("salary"), ("薪资", "薪酬", "月薪", "薪资待遇", "salary")),
    Column("openings", gettext_lazy("openings"), ("招聘人数", "需求人数", "人数", "openings")),
    Column("deadline", gettext_lazy("deadline"), ("截止日期", "截止时间", "deadline")),
    Column(
        "description",
        gettext_lazy("description"),
        ("岗位描述", "岗位职责", "岗位要求", "任职要求", "description"),
    ),
    required=("employer", "title"),
    no_header=gettext_lazy("no header row with 单位名称 and 岗位名称 in the first rows"),
)

# 计算机科学与技术、软件工程；数据科学 (a space may sit inside a major's name).
MAJOR_SEPARATORS = re.compile(r"[、,，;；/\n]+")
# A majors cell that wants every major.
EVERY_MAJOR = ("不限", "专业不限", "不限专业", "全部专业", "所有专业", "any")
# A salary cell of no figure: to be agreed.
NEGOTIABLE = ("面议", "薪资面议", "薪酬面议", "工资面议", "negotiable")
# A salary below this (yuan a month) is a typing slip: "6-9" meant 6k-9k.
LOWEST_SALARY = 500
# 6000, 8k, 1.2万: a number and its multiplier.
_AMOUNT = r"(\d+(?:\.\d+)?)\s*([kK千wW万]?)"
_MULTIPLIERS = {"": 1, "k": 1000, "K": 1000, "千": 1000, "w": 10000, "W": 10000, "万": 10000}
_RANGE = re.compile(rf"^{_AMOUNT}\s*元?\s*[-~～—－至到]+\s*{_AMOUNT}\s*元?$")
_ONE = re.compile(rf"^{_AMOUNT}\s*元?\s*(以上|起|\+|以下)?$")
# What may stand around the figures: 月薪 8k-12k · 13薪, 6000-9000元/月, 年薪15万.
_MONTHLY = re.compile(r"^月薪|(?:/|每)月$")
_YEARLY = re.compile(r"^年薪|(?:/|每)年$")
_EXTRA_MONTHS = re.compile(r"\s*[·*xX×,，]\s*\d+\s*薪$")
_OPENINGS = re.compile(r"^(\d+)\s*(?:人|名|个)?$")
UNSTATED_OPENINGS = ("若干", "不限", "多名", "数名")
MAX_OPENINGS = 10000


@dataclass(frozen=True)
class Salary:
    """A monthly salary range in yuan, either end open; `yearly` if the cell
    gave a year's pay, divided by twelve here."""

    low: int | None
    high: int | None
    yearly: bool = False


def _amount(number: str, unit: str) -> Decimal:
    return Decimal(number) * _MULTIPLIERS[unit]


def parse_salary(text: str) -> Salary | None:
    """A salary cell as a monthly range; None if it cannot be read.
    "面议" is a range open at both ends."""
    text = _EXTRA_MONTHS.sub("", text.replace(" ", "")).strip()
    if text.lower() in NEGOTIABLE:
        return Salary(None, None)
    yearly = bool(_YEARLY.search(text))
    text = _YEARLY.sub("", _MONTHLY.sub("", text)).strip()
    low: Decimal | None
    high: Decimal | None
    try:
        if match := _RANGE.match(text):
            low_number, low_unit, high_number, high_unit = match.groups()
            if not low_unit and high_unit and Decimal(low_number) < Decimal(high_number):
                low_unit = high_unit  # 8-12k is 8k-12k
            low, high = _amount(low_number, low_unit), _amount(high_number, high_unit)
        elif match := _ONE.match(text):
            number, unit, side = match.groups()
            amount = _amount(number, unit)
            low, high = {
                None: (amount, amount),
                "以下": (None, amount),
            }.get(side, (amount, None))
        else:
            return None
    except InvalidOperation:
        return None
    if yearly:
        low = low / 12 if low is not None else None
        high = high / 12 if high is not None else None
    ends = [int(end.to_integral_value()) if end is not None else None for end in (low, high)]
    if any(end is not None and not LOWEST_SALARY <= end < 10**7 for end in ends):
        return None
    if ends[0] is not None and ends[1] is not None and ends[0] > ends[1]:
        return None
    return Salary(ends[0], ends[1], yearly)


def parse_majors(text: str) -> list[str]:
    """The majors a cell names, in order, once each; [] for every major."""
    if text.replace(" ", "").lower() in EVERY_MAJOR:
        return []
    majors: list[str] = []
    for part in MAJOR_SEPARATORS.split(text):
        major = part.strip()
        if major and major not in majors:
            majors.append(major)
    return majors


@dataclass(slots=True)
class EmployerRow:
    """One valid row: an employer and, unless `title` is blank, a position of
    it. "" or None: the cell is blank, and what is stored stays."""

    row: int
    employer: str
    sector: str = ""
    city: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    title: str = ""
    majors: list[str] | None = None  # [] is every major
    work_city: str = ""
    salary: Salary | None = None
    openings: int | None = None
    deadline: dt.date | None = None
    description: str = ""


Error = Callable[[str, str], None]
Warn = Callable[..., None]
# The longest text each field holds.
LIMITS = (("employer", 200), ("title", 200), ("sector", 100), ("city", 50), ("work_city", 50))


def _lengths(values: dict[str, str], error: Error) -> None:
    for name, limit in LIMITS:
        if len(values[name]) > limit:
            error(name, _("longer than %(limit)d characters") % {"limit": limit})


def _contact(row: EmployerRow, values: dict[str, str], error: Error) -> None:
    if values["contact_phone"]:
        phone = clean_phone(values["contact_phone"])
        if phone is None:
            error(
                "contact_phone",
                _("“%(value)s” is not a phone number") % {"value": values["contact_phone"]},
            )
        else:
            row.contact_phone = phone
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            error(
                "contact_email",
                _("“%(value)s” is not an e-mail address") % {"value": values["contact_email"]},
            )
        else:
            row.contact_email = values["contact_email"]


def _openings(text: str, error: Error, warn: Warn) -> int | None:
    """招聘人数: "5", "5人"; "若干" is unstated."""
    if text in UNSTATED_OPENINGS:
        warn("openings_unstated", text)
        return None
    if not text:
        return None
    match = _OPENINGS.match(text)
    if not match or not 1 <= int(match.group(1)) <= MAX_OPENINGS:
        error("openings", _("“%(value)s” is not a number of people") % {"value": text})
        return None
    return int(match.group(1))


class EmployerImporter(Importer[EmployerRow]):
    """An employer list's rows checked; the roster's majors read once, to
    warn of a major no graduate has."""

    columns = EMPLOYER_COLUMNS

    def __init__(self) -> None:
        self.employer = ""
        self.seen: dict[tuple[str, str], int] = {}
        self.today = clock.today()

    def begin(self, check: Check[EmployerRow], header: Header) -> None:
        self.programmes = set(roster_programmes())

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[EmployerRow]:
        parsed: ParsedRow[EmployerRow] = ParsedRow()

        def error(field_name: str, reason: str) -> None:
            parsed.errors.append(RowError(row_number, field_name, reason))

        def warn(code: str, text: str = "") -> None:
            parsed.warnings.append(RowWarning(row_number, code, text or str(row_number)))

        title = values["title"]
        row = EmployerRow(
            row=row_number,
            employer=self._employer(values, error, warn),
            sector=values["sector"],
            city=values["city"],
            contact_name=values["contact_name"],
            title=title,
            work_city=values["work_city"],
            description=values["description"],
        )
        _contact(row, values, error)
        if title:
            self._position(row, values, error, warn)
        elif any(values[key] for key in ("majors", "salary", "openings", "deadline")):
            error("title", _("missing: the position's details need its title"))
        _lengths(values, error)
        key = (row.employer, title)
        if title and key in self.seen:
            error("title", _("repeats row %(row)d") % {"row": self.seen[key]})
        elif title:
            # Kept even for a bad row: once fixed, the repeat would be one.
            self.seen[key] = row_number
        if not parsed.errors:
            parsed.value = row
        return parsed

    def _employer(self, values: dict[str, str], error: Error, warn: Warn) -> str:
        """The row's employer; a blank one is the row above's."""
        if values["employer"]:
            self.employer = values["employer"]
            return self.employer
        if self.employer and values["title"]:
            warn("employer_above")
            return self.employer
        error("employer", _("missing, and no row above names one"))
        return ""

    def _position(self, row: EmployerRow, values: dict[str, str], error: Error, warn: Warn) -> None:
        if values["majors"]:
            row.majors = parse_majors(values["majors"])
            for major in row.majors:
                if major not in self.programmes:
                    warn("unknown_major", major)
        if values["salary"]:
            row.salary = parse_salary(values["salary"])
            if row.salary is None:
                error(
                    "salary",
                    _("“%(value)s” is not a monthly salary such as 6000-9000, 8k-12k or 面议")
                    % {"value": values["salary"]},
                )
            elif row.salary.yearly:
                warn("yearly_salary", values["salary"])
        row.openings = _openings(values["openings"], error, warn)
        if values["deadline"]:
            row.deadline = parse_date(values["deadline"])
            if row.deadline is None:
                error(
                    "deadline",
                    _("“%(value)s” is not a date such as 2022-06-30")
                    % {"value": values["deadline"]},
                )
            elif row.deadline < self.today:
                warn("deadline_past")

    def finish(self, check: Check[EmployerRow]) -> None:
        messages = {
            "employer_above": _(
                "%(count)d rows leave the employer blank: each is taken to be the employer "
                "of the row above: rows %(rows)s"
            ),
            "unknown_major": _(
                "%(count)d majors are no programme of the roster, and reach no graduate "
                "until one has it: %(rows)s"
            ),
            "yearly_salary": _(
                "%(count)d salaries are given by the year, and are divided by twelve: %(rows)s"
            ),
            "openings_unstated": _(
                "%(count)d positions give no number of openings (若干): a new one is "
                "recorded with one opening: %(rows)s"
            ),
            "deadline_past": _(
                "%(count)d positions have a deadline already past, and are closed: rows %(rows)s"
            ),
        }
        for code, message in messages.items():
            tally = check.tally(code)
            if tally.count:
                check.warnings.append(
                    CheckWarning(code, message % {"count": tally.count, "rows": tally.quoted()})
                )


def check_employers(
    rows: Iterable[Sequence[Any]], progress: Progress | None = None
) -> Check[EmployerRow]:
    """Validate an employer list; nothing is written."""
    return EmployerImporter().check(rows, progress)


# An employer's details a row may state.
EMPLOYER_FIELDS = ("sector", "city", "contact_name", "contact_phone", "contact_email")


def _employer_details(rows: Iterable[EmployerRow]) -> dict[str, dict[str, str]]:
    """Each employer's details, each from the first row that gives it."""
    details: dict[str, dict[str, str]] = {}
    for row in rows:
        stated = details.setdefault(row.employer, {})
        for name in EMPLOYER_FIELDS:
            if getattr(row, name) and name not in stated:
                stated[name] = getattr(row, name)
    return details


def _apply(target: Any, values: dict[str, Any]) -> bool:
    """Put `values` on `target`; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


def _position_values(row: EmployerRow) -> dict[str, Any]:
    """What the row states of its position (blank cells left out)."""
    values: dict[str, Any] = {}
    if row.work_city:
        values["city"] = row.work_city
    if row.salary is not None:
        values["salary_min"], values["salary_max"] = row.salary.low, row.salary.high
    if row.openings is not None:
        values["openings"] = row.openings
    if row.deadline is not None:
        values["deadline"] = row.deadline
    if row.description:
        values["description"] = row.description
    return values


@transaction.atomic
def import_employers(rows: Sequence[EmployerRow], *, acting_user: User) -> dict[str, int]:
    """Create the employers and positions the rows name that are not stored,
    update those that are; returns what it did, by count."""
    summary = dict.fromkeys(
        ("employers_created", "employers_updated", "created", "updated", "unchanged"), 0
    )
    details = _employer_details(rows)
    employers = {e.name: e for e in Employer.objects.filter(name__in=details.keys())}
    for name, stated in details.items():
        employer = employers.get(name)
        if employer is None:
            employers[name] = actions.save_employer(
                Employer(name=name, **stated), acting_user=acting_user
            )
            summary["employers_created"] += 1
        elif _apply(employer, stated):
            actions.save_employer(employer, acting_user=acting_user)
            summary["employers_updated"] += 1
    positions = {
        (position.employer_id, position.title): position
        for position in Position.objects.filter(
            employer__in=employers.values(), title__in={row.title for row in rows if row.title}
        ).prefetch_related("majors")
    }
    for row in rows:
        if not row.title:
            continue
        employer = employers[row.employer]
        position = positions.get((employer.pk, row.title))
        if position is None:
            position = Position(employer=employer, title=row.title)
            _apply(position, _position_values(row))
            actions.save_position(position, row.majors or (), acting_user=acting_user)
            summary["created"] += 1
            continue
        majors_now = sorted(major.programme for major in position.majors.all())
        majors = majors_now if row.majors is None else sorted(row.majors)
        if _apply(position, _position_values(row)) or majors != majors_now:
            actions.save_position(position, majors, acting_user=acting_user)
            summary["updated"] += 1
        else:
            summary["unchanged"] += 1
    return summary


@transaction.atomic
def commit_employers(
    record: EmployerImport, check: Check[EmployerRow], *, acting_user: User
) -> dict[str, int]:
    """Write the checked rows, and what changed on the record."""
    summary = import_employers(check.rows, acting_user=acting_user)
    fields = record.store_check(check)
    record.summary = summary
    record.status = EmployerImport.Status.COMMITTED
    record.committed_at = clock.now()
    record.save(update_fields=[*fields, "summary", "status", "committed_at"])
    audit.record(
        CareersEvent.EMPLOYERS_IMPORTED,
        record,
        acting_user=acting_user,
        filename=record.filename,
        summary=summary,
    )
    return summary


# The downloadable template's example rows: two positions of one employer.
EXAMPLE_ROWS = [
    ["太原软件科技有限公司", "信息技术", "太原", "王经理", "0351-7666000", "hr@example.com",
     "Java开发工程师", "计算机科学与技术、软件工程", "太原", "6000-9000", "5", "2022-06-30", ""],
    ["", "", "", "", "", "", "数据分析师", "信息管理与信息系统", "北京", "8k-12k", "2",
     "2022-06-30", ""],
]  # fmt: skip
