"""Roster files: what registrars really export, read into clean rows.

A roster is a table with one person a row. Real exports have a title row above
the header, Chinese header synonyms, full-width digits, numbers stored as
floats, phones with +86 and dashes, short forms of political status, blank rows
and footer lines. `check_roster` turns such a table into valid rows and a list
of `row N: field: reason` errors; `people.actions.commit_roster` writes the
valid rows.

A blank cell, like a column the file does not have, states nothing: committing
leaves the stored value alone. A registrar's file without phone numbers must
not wipe out the numbers collected since.

What the check has to assume is a warning, never silent: the columns the file
lacks, the units it names that do not exist, dorm rooms it cannot read, rows
without a unit. The category (类别) of a new person is never guessed blindly:
it comes from the file, else from the default the operator chose, else it is
taken as "student" only where the file shows students (a class column, or
numbers headed 学号); a file that shows neither, such as a staff list headed
工号, cannot be committed until a category is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from shouwang.lib.spreadsheets import SpreadsheetError, unescape_formula
from shouwang.lib.text import clean, clean_mobile, clean_name, is_mobile

from .dorms import Dorm, parse_dorm
from .models import AdminClass, Branch, DegreeLevel, DormRoom, Person, Unit

# The canonical header (what export writes) first, then the synonyms registrars use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": (
        "学号/工号",
        "学号",
        "工号",
        "编号",
        "学工号",
        "人员编号",
        "教工号",
        "职工号",
        "学生学号",
        "number",
    ),
    "name": ("姓名", "名字", "学生姓名", "教师姓名", "name"),
    "kind": ("类别", "人员类别", "人员类型", "身份", "kind"),
    "gender": ("性别", "gender"),
    "mobile": (
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "联系方式",
        "移动电话",
        "本人手机",
        "本人电话",
        "mobile",
    ),
    "political_status": ("政治面貌", "political_status"),
    "unit": ("单位", "所在单位", "部门", "学院", "院系", "所在学院", "学院名称", "unit"),
    "grade": ("年级", "所在年级", "grade"),
    "programme": ("专业", "专业名称", "所学专业", "programme"),
    "degree_level": ("培养层次", "学历层次", "层次", "学生类别", "degree_level"),
    "admin_class": ("班级", "行政班", "行政班级", "班级名称", "所在班级", "admin_class"),
    "counsellor": ("辅导员工号", "辅导员", "counsellor"),
    "dorm_room": ("宿舍", "宿舍号", "寝室", "寝室号", "宿舍房间", "dorm_room"),
    "branch": ("党团支部", "支部", "党支部", "团支部", "所在支部", "branch"),
    "graduating": ("毕业班", "是否毕业班", "graduating"),
    "status": ("状态", "学籍状态", "在校状态", "status"),
}
EXPORT_HEADERS = [names[0] for names in COLUMNS.values()]
_FIELD_ORDER = {key: index for index, key in enumerate(COLUMNS)}
FIELD_LABELS = {
    "number": gettext_lazy("number"),
    "name": gettext_lazy("name"),
    "kind": gettext_lazy("kind"),
    "gender": gettext_lazy("gender"),
    "mobile": gettext_lazy("mobile phone"),
    "political_status": gettext_lazy("political status"),
    "unit": gettext_lazy("unit"),
    "grade": gettext_lazy("grade"),
    "programme": gettext_lazy("programme"),
    "degree_level": gettext_lazy("degree level"),
    "admin_class": gettext_lazy("class"),
    "counsellor": gettext_lazy("counsellor"),
    "dorm_room": gettext_lazy("dormitory room"),
    "branch": gettext_lazy("branch"),
    "graduating": gettext_lazy("graduating"),
    "status": gettext_lazy("status"),
    "file": gettext_lazy("file"),
}
# Header cells are compared without spaces, required-field stars and notes in
# brackets: "* 手机号码（必填）" is "手机号码".
_HEADER_NOISE = re.compile(r"\s|\*|\(.*?\)|\[.*?\]|【.*?】")


def _header_key(cell: Any) -> str:
    return _HEADER_NOISE.sub("", clean(cell)).lower()


_HEADER_LOOKUP = {_header_key(name): key for key, names in COLUMNS.items() for name in names}
# The header is looked for in the first rows only; beyond that it is not a roster.
HEADER_SEARCH_ROWS = 10

KINDS = {
    "学生": Person.Kind.STUDENT,
    "本科生": Person.Kind.STUDENT,
    "研究生": Person.Kind.STUDENT,
    "教师": Person.Kind.TEACHER,
    "专任教师": Person.Kind.TEACHER,
    "辅导员": Person.Kind.TEACHER,
    "职工": Person.Kind.STAFF,
    "教职工": Person.Kind.STAFF,
    "行政": Person.Kind.STAFF,
    "管理人员": Person.Kind.STAFF,
}
GENDERS = {
    "男": "M",
    "女": "F",
    "男性": "M",
    "女性": "F",
    "m": "M",
    "f": "F",
    "male": "M",
    "female": "F",
}
STATUSES = {
    "中共党员": Person.PoliticalStatus.PARTY_MEMBER,
    "党员": Person.PoliticalStatus.PARTY_MEMBER,
    "中国共产党党员": Person.PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": Person.PoliticalStatus.PROBATIONARY,
    "预备党员": Person.PoliticalStatus.PROBATIONARY,
    "中国共产党预备党员": Person.PoliticalStatus.PROBATIONARY,
    "共青团员": Person.PoliticalStatus.LEAGUE_MEMBER,
    "团员": Person.PoliticalStatus.LEAGUE_MEMBER,
    "中国共产主义青年团团员": Person.PoliticalStatus.LEAGUE_MEMBER,
    "民主党派": Person.PoliticalStatus.DEMOCRATIC_PARTY,
    "民主党派成员": Person.PoliticalStatus.DEMOCRATIC_PARTY,
    "无党派人士": Person.PoliticalStatus.NONPARTISAN,
    "无党派": Person.PoliticalStatus.NONPARTISAN,
    "无党派民主人士": Person.PoliticalStatus.NONPARTISAN,
    "群众": Person.PoliticalStatus.MASSES,
}
DEGREES = {
    "本科": DegreeLevel.BACHELOR,
    "本科生": DegreeLevel.BACHELOR,
    "硕士": DegreeLevel.MASTER,
    "硕士研究生": DegreeLevel.MASTER,
    "专硕": DegreeLevel.MASTER,
    "学硕": DegreeLevel.MASTER,
    "博士": DegreeLevel.DOCTOR,
    "博士研究生": DegreeLevel.DOCTOR,
}
PERSON_STATUSES = {
    "在校": Person.Status.PRESENT,
    "在职": Person.Status.PRESENT,
    "离校": Person.Status.AWAY,
    "休学": Person.Status.AWAY,
    "离职": Person.Status.AWAY,
    "毕业": Person.Status.GRADUATED,
    "已毕业": Person.Status.GRADUATED,
}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0"}
NUMBER_RE = re.compile(r"^[A-Za-z0-9]{3,32}$")
GRADE_RE = re.compile(r"^(\d{4})(级)?$")
# Some exports wrap a cell as ="2021001" so that Excel keeps it as text.
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
# Lines below the table: "合计：300人", "制表人：张老师   审核人：李老师", "注：…".
FOOTER_START = (
    "合计",
    "总计",
    "共计",
    "小计",
    "制表",
    "填表",
    "审核",
    "备注",
    "注:",
    "说明",
    "打印",
    "导出",
)


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


# Field lengths, as the model has them (PostgreSQL enforces them, SQLite does not).
MAX_LENGTHS = {
    "name": _max_length(Person, "name"),
    "programme": _max_length(Person, "programme"),
    "admin_class": _max_length(AdminClass, "name"),
}
DORM_BUILDING_MAX = _max_length(DormRoom, "building")
DORM_NUMBER_MAX = _max_length(DormRoom, "number")

# Reverse maps for export: the full Chinese form of each choice.
KIND_LABELS: dict[str, str] = {
    Person.Kind.STUDENT: "学生",
    Person.Kind.TEACHER: "教师",
    Person.Kind.STAFF: "职工",
}
STATUS_LABELS: dict[str, str] = {
    Person.PoliticalStatus.PARTY_MEMBER: "中共党员",
    Person.PoliticalStatus.PROBATIONARY: "中共预备党员",
    Person.PoliticalStatus.LEAGUE_MEMBER: "共青团员",
    Person.PoliticalStatus.DEMOCRATIC_PARTY: "民主党派",
    Person.PoliticalStatus.NONPARTISAN: "无党派人士",
    Person.PoliticalStatus.MASSES: "群众",
}
DEGREE_LABELS: dict[str, str] = {
    DegreeLevel.BACHELOR: "本科",
    DegreeLevel.MASTER: "硕士",
    DegreeLevel.DOCTOR: "博士",
}
PERSON_STATUS_LABELS: dict[str, str] = {
    Person.Status.PRESENT: "在校",
    Person.Status.AWAY: "离校",
    Person.Status.GRADUATED: "毕业",
}


@dataclass
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class RosterRow:
    """One valid row, with references still as names (resolved on commit).

    None (or "" for a reference) means the file states nothing for that field."""

    row: int
    number: str
    name: str
    kind: str | None = None
    gender: str | None = None
    mobile: str | None = None
    political_status: str | None = None
    unit: str = ""
    grade: int | None = None
    programme: str | None = None
    degree_level: str | None = None
    admin_class: str = ""
    counsellor: str = ""
    dorm_room: str = ""
    dorm: Dorm | None = None
    branch: str = ""
    graduating: bool | None = None
    status: str | None = None


@dataclass
class RosterDefaults:
    """What the operator chose for rows that state nothing: a unit's name, a
    category (Person.Kind), and whether units the file names that do not exist
    are to be created, under the unit named `parent` (or at the top)."""

    unit: str = ""
    kind: str | None = None
    create_units: bool = False
    parent: str = ""


@dataclass
class RosterWarning:
    """Something the check assumed, or could not decide (`blocking`: the file
    cannot be committed until a default is chosen). `values` names what it is
    about, such as the units that do not exist."""

    code: str
    message: str
    blocking: bool = False
    values: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"warning: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "blocking": self.blocking,
            "values": self.values,
        }


@dataclass
class RosterCheck:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RosterWarning] = field(default_factory=list)
    total: int = 0
    # Units the file names that do not exist, and how many rows name each.
    missing_units: dict[str, int] = field(default_factory=dict)
    defaults: RosterDefaults = field(default_factory=RosterDefaults)

    @property
    def invalid_count(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def blocked(self) -> bool:
        return any(warning.blocking for warning in self.warnings)

    @property
    def units_to_create(self) -> list[str]:
        return sorted(self.missing_units) if self.defaults.create_units else []

    def summary_line(self) -> str:
        return f"valid: {len(self.rows)}, invalid: {self.invalid_count}"


def column_help() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every accepted column: its field's label, its canonical header, and the
    other headers read as the same column."""
    return [
        (str(FIELD_LABELS[key]), names[0], tuple(n for n in names[1:] if n != key))
        for key, names in COLUMNS.items()
    ]


def find_header(table: list[list[Any]]) -> tuple[int, dict[int, str]]:
    """The header row's index and a map of column index to field name."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for col, cell in enumerate(row):
            key = _HEADER_LOOKUP.get(_header_key(cell))
            if key and key not in columns.values():
                columns[col] = key
        if {"number", "name"} <= set(columns.values()):
            return index, columns
    raise SpreadsheetError(
        _("no header row with a number column (学号/工号) and a name column (姓名)")
    )


class _References:
    """What the rows refer to, loaded once: units, branches and people's numbers
    (with whether each may counsel a class)."""

    def __init__(self) -> None:
        self.units = set(Unit.objects.values_list("name", flat=True))
        self.branches = set(Branch.objects.values_list("name", flat=True))
        self.kinds = dict(Person.objects.values_list("number", "kind"))
        self.numbers = self.kinds.keys()
        self.assistants = set(
            Person.objects.filter(assistant_counsellor=True).values_list("number", flat=True)
        )


# Headers of the number column that show a file of students.
STUDENT_NUMBER_HEADERS = {"学号", "学生学号"}
# Rows quoted by number in a warning, at most.
WARNING_ROWS = 10


def check_roster(
    table: list[list[Any]],
    progress: Callable[[int, int], None] | None = None,
    defaults: RosterDefaults | None = None,
) -> RosterCheck:
    """Validate every row of a roster table; nothing is written."""
    defaults = defaults or RosterDefaults()
    header_index, columns = find_header(table)
    header = {key: _header_key(_cell(table[header_index], col)) for col, key in columns.items()}
    refs = _References()
    result = RosterCheck(defaults=defaults)
    file_kind, file_kind_reason = _file_kind(header)
    assumed = undecided = 0
    body = table[header_index + 1 :]
    first_row_of: dict[str, int] = {}  # number -> the first row that has it, bad rows included
    bad_rows: set[int] = set()
    unread_dorms: list[str] = []
    no_unit = 0

    for done, cells in enumerate(body, start=1):
        row_number = header_index + 1 + done
        if progress and done % 1000 == 0:
            progress(done, len(body))
        values = dict.fromkeys(COLUMNS, "")
        values.update((key, clean(_cell(cells, col))) for col, key in columns.items())
        number = values["number"].replace(" ", "")
        if not values["name"] and not NUMBER_RE.match(number) and _is_blank_or_footer(cells):
            continue
        result.total += 1
        errors: list[RowError] = []
        if not values["unit"] and defaults.unit:
            values["unit"] = defaults.unit
        row = _parse_row(row_number, values, refs, errors, result)
        if not values["kind"] and not defaults.kind and number not in refs.numbers:
            # Someone new whose category nothing states: the file's kind where
            # it shows one; else the file waits for a choice.
            if file_kind:
                assumed += 1
            else:
                undecided += 1
        if row is not None and row.kind is None and number not in refs.numbers:
            row.kind = defaults.kind or file_kind
        elif row is not None and row.kind is None:
            row.kind = defaults.kind
        if number in first_row_of:
            errors.append(
                RowError(
                    row_number,
                    "number",
                    _("duplicate of row %(row)d") % {"row": first_row_of[number]},
                )
            )
        elif NUMBER_RE.match(number):
            first_row_of[number] = row_number
        if errors:
            result.errors.extend(errors)
            bad_rows.add(row_number)
        elif row is not None:
            result.rows.append(row)
            if row.dorm is not None and not row.dorm.parsed:
                unread_dorms.append(
                    _("row %(row)d “%(value)s”") % {"row": row_number, "value": row.dorm_room}
                )
            if not row.unit:
                no_unit += 1

    _check_counsellors(result, refs, first_row_of, bad_rows)
    result.errors.sort(key=lambda error: (error.row, _FIELD_ORDER.get(error.field, 0)))
    _warn_kind(result, "kind" in header, file_kind_reason, assumed, undecided)
    _warn(result, columns, defaults, unread_dorms, no_unit)
    if progress:
        progress(len(body), len(body))
    return result


def _file_kind(header: dict[str, str]) -> tuple[str | None, str]:
    """The category the file shows its people to be, and why: students where it
    has a class column or numbers headed 学号; otherwise it shows none."""
    if "admin_class" in header:
        return Person.Kind.STUDENT, _("the file has a class column (班级)")
    if header.get("number") in STUDENT_NUMBER_HEADERS:
        return Person.Kind.STUDENT, _("the file's numbers are headed 学号")
    return None, ""


def _warn_kind(result: RosterCheck, has_column: bool, reason: str, assumed: int, undecided: int):
    prefix = "" if has_column else _("The file has no category column (类别). ")
    if assumed:
        result.warnings.append(
            RosterWarning(
                "kind_assumed",
                prefix
                + ngettext(
                    "%(count)d new person states no category: taken as a student "
                    "because %(reason)s. If they are a teacher or staff, choose a category.",
                    "%(count)d new people state no category: they are taken as students "
                    "because %(reason)s. If they are teachers or staff, choose a category.",
                    assumed,
                )
                % {"count": assumed, "reason": reason},
            )
        )
    if undecided:
        result.warnings.append(
            RosterWarning(
                "kind_unknown",
                prefix
                + ngettext(
                    "%(count)d new person states no category, and nothing in the file shows "
                    "whether they are a student, a teacher or staff: choose a category "
                    "before committing.",
                    "%(count)d new people state no category, and nothing in the file shows "
                    "whether they are students, teachers or staff: choose a category "
                    "before committing.",
                    undecided,
                )
                % {"count": undecided},
                blocking=True,
            )
        )


# What a new person gets for each column the file lacks (kind and unit have their own warnings).
MISSING_COLUMN_ASSUMPTIONS = {
    "gender": gettext_lazy("no gender"),
    "mobile": gettext_lazy("no phone"),
    "political_status": gettext_lazy("political status 群众"),
    "grade": gettext_lazy("no grade"),
    "programme": gettext_lazy("no programme"),
    "degree_level": gettext_lazy("no degree level"),
    "admin_class": gettext_lazy("no class"),
    "counsellor": gettext_lazy("classes keep their counsellor"),
    "dorm_room": gettext_lazy("no dormitory room"),
    "branch": gettext_lazy("no branch"),
    "graduating": gettext_lazy("not graduating"),
    "status": gettext_lazy("at school"),
}


def _warn(
    result: RosterCheck,
    columns: dict[int, str],
    defaults: RosterDefaults,
    unread_dorms: list[str],
    no_unit: int,
) -> None:
    present = set(columns.values())
    warnings = result.warnings
    if defaults.kind:
        warnings.append(
            RosterWarning(
                "kind_default",
                _("Rows that state no category (类别) are taken as: %(kind)s.")
                % {"kind": Person.Kind(defaults.kind).label},
            )
        )
    if "unit" not in present and not defaults.unit:
        warnings.append(
            RosterWarning(
                "no_unit_column",
                _(
                    "The file has no unit column (单位): people get no unit, and no "
                    "incident covers them until they have one (a student is covered "
                    "through their class's unit). Choose a default unit."
                ),
            )
        )
    elif no_unit:
        warnings.append(
            RosterWarning(
                "rows_without_unit",
                ngettext(
                    "%(count)d row has no unit: no incident covers its person until they "
                    "have one. Choose a default unit.",
                    "%(count)d rows have no unit: no incident covers them until they have "
                    "one. Choose a default unit.",
                    no_unit,
                )
                % {"count": no_unit},
            )
        )
    if defaults.unit:
        warnings.append(
            RosterWarning(
                "unit_default",
                _("Rows without a unit are put in %(unit)s.") % {"unit": defaults.unit},
            )
        )
    if result.missing_units:
        names = sorted(result.missing_units)
        listed = "、".join(f"{name} ({result.missing_units[name]})" for name in names)
        if defaults.create_units:
            message = _(
                "These units do not exist and will be created under %(parent)s: %(units)s"
            ) % {
                "parent": defaults.parent or _("the top of the tree"),
                "units": listed,
            }
        else:
            message = _(
                "These units do not exist, so their rows are invalid: %(units)s. "
                "Create them, or correct the file."
            ) % {"units": listed}
        warnings.append(RosterWarning("missing_units", message, values=names))
    missing = [key for key in MISSING_COLUMN_ASSUMPTIONS if key not in present]
    if missing:
        warnings.append(
            RosterWarning(
                "missing_columns",
                _(
                    "Columns the file does not have: %(columns)s. Stored values are kept; "
                    "new people get %(assumed)s."
                )
                % {
                    "columns": "、".join(COLUMNS[key][0] for key in missing),
                    "assumed": pgettext("list separator", ", ").join(
                        str(MISSING_COLUMN_ASSUMPTIONS[key]) for key in missing
                    ),
                },
                values=missing,
            )
        )
    if unread_dorms:
        shown = "; ".join(unread_dorms[:WARNING_ROWS])
        more = len(unread_dorms) - WARNING_ROWS
        if more > 0:
            shown += " " + _("and %(count)d more") % {"count": more}
        warnings.append(
            RosterWarning(
                "dorm_not_understood",
                _(
                    "Dormitory rooms not understood as building, floor and room, stored as "
                    "given: %(rows)s"
                )
                % {"rows": shown},
            )
        )


def _check_counsellors(
    result: RosterCheck, refs: _References, first_row_of: dict[str, int], bad_rows: set[int]
) -> None:
    """A counsellor must exist, in the database or in a good row of the file (a
    teacher may be listed below the students), must be a teacher or staff
    member (or a student marked an assistant counsellor), and a class has one
    counsellor."""
    file_kinds = {row.number: row.kind for row in result.rows}
    class_counsellor: dict[str, tuple[str, int]] = {}
    dropped = set()
    for index, row in enumerate(result.rows):
        if not row.counsellor:
            continue
        error = None
        if row.counsellor not in refs.numbers and row.counsellor not in file_kinds:
            if first_row_of.get(row.counsellor) in bad_rows:
                error = _("%(number)s is in row %(row)d, which has errors") % {
                    "number": row.counsellor,
                    "row": first_row_of[row.counsellor],
                }
            else:
                error = _("no person with number %(number)s") % {"number": row.counsellor}
        elif not _may_counsel(row.counsellor, file_kinds, refs):
            error = _(
                "%(number)s is a student: only a teacher or staff member counsels a class "
                "(a student only when an admin has marked them an assistant counsellor, 兼职辅导员)"
            ) % {"number": row.counsellor}
        else:
            first = class_counsellor.setdefault(row.admin_class, (row.counsellor, row.row))
            if first[0] != row.counsellor:
                error = _("class %(cls)s already has counsellor %(other)s in row %(row)d") % {
                    "cls": row.admin_class,
                    "other": first[0],
                    "row": first[1],
                }
        if error:
            result.errors.append(RowError(row.row, "counsellor", error))
            dropped.add(index)
    if dropped:
        result.rows = [row for index, row in enumerate(result.rows) if index not in dropped]


def _may_counsel(number: str, file_kinds: dict[str, str | None], refs: _References) -> bool:
    """Whether the person may counsel once the file is committed: their category
    is the file's if it states one, else the stored one."""
    kind = file_kinds.get(number) or refs.kinds.get(number)
    if kind is None:
        return True  # a new person of no category yet: the file is blocked until one is chosen
    return kind != Person.Kind.STUDENT or number in refs.assistants


def _cell(cells: list[Any], col: int) -> Any:
    value = unescape_formula(cells[col]) if col < len(cells) else ""
    if isinstance(value, str) and value.startswith("="):
        match = _EXCEL_TEXT.match(value)
        if match:
            return match.group(1)
    return value


def _is_blank_or_footer(cells: list[Any]) -> bool:
    """For a row with neither a name nor a number: is it blank, or a line such as
    "合计：300人" or "制表人：张老师" below the table (rather than a bad row)?"""
    filled = [text for text in map(clean, cells) if text]
    return len(filled) <= 1 or filled[0].startswith(FOOTER_START)


def _parse_row(
    row_number: int,
    values: dict[str, str],
    refs: _References,
    errors: list[RowError],
    result: RosterCheck,
) -> RosterRow | None:
    """A row of cleaned cell texts, checked; None if it has errors."""

    def bad(field_name: str, reason: str) -> None:
        errors.append(RowError(row_number, field_name, reason))

    def choice(field_name: str, mapping: dict[str, Any]) -> Any:
        text = values[field_name]
        if not text:
            return None
        found = mapping.get(text, mapping.get(text.lower()))
        if found is None:
            bad(field_name, _("unknown value “%(value)s”") % {"value": text})
        return found

    def text(field_name: str) -> str:
        value = values[field_name]
        limit = MAX_LENGTHS.get(field_name)
        if limit and len(value) > limit:
            bad(field_name, _("longer than %(limit)d characters") % {"limit": limit})
        return value

    number = values["number"].replace(" ", "")
    if not number:
        bad("number", _("missing"))
    elif not NUMBER_RE.match(number):
        bad(
            "number",
            _("“%(value)s” is not a number of 3 to 32 letters or digits") % {"value": number},
        )
    name = clean_name(values["name"])
    if not name:
        bad("name", _("missing"))
    elif len(name) > MAX_LENGTHS["name"]:
        bad("name", _("longer than %(limit)d characters") % {"limit": MAX_LENGTHS["name"]})

    mobile = clean_mobile(values["mobile"])
    if mobile and not is_mobile(mobile):
        bad(
            "mobile",
            _("“%(value)s” is not an 11-digit mobile number") % {"value": values["mobile"]},
        )

    grade = None
    grade_text = values["grade"]
    if grade_text:
        match = GRADE_RE.match(grade_text)
        if match:
            grade = int(match.group(1))
        else:
            bad("grade", _("“%(value)s” is not a year such as 2021") % {"value": grade_text})

    unit = values["unit"]
    if unit and unit not in refs.units:
        result.missing_units[unit] = result.missing_units.get(unit, 0) + 1
        if not result.defaults.create_units:
            bad("unit", _("no unit named “%(value)s”") % {"value": unit})
    branch = values["branch"]
    if branch and branch not in refs.branches:
        bad("branch", _("no branch named “%(value)s”") % {"value": branch})

    admin_class = text("admin_class")
    counsellor = values["counsellor"].replace(" ", "")
    if counsellor and not admin_class:
        bad("counsellor", _("a counsellor needs a class"))

    dorm_room = values["dorm_room"].replace(" ", "")
    dorm = parse_dorm(dorm_room) if dorm_room else None
    if dorm is not None and (
        len(dorm.building) > DORM_BUILDING_MAX or len(dorm.number) > DORM_NUMBER_MAX
    ):
        bad(
            "dorm_room",
            _("“%(value)s” is too long for a room such as B-312") % {"value": dorm_room},
        )

    graduating_text = values["graduating"]
    graduating = None
    if graduating_text:
        graduating = graduating_text.lower() in YES
        if not graduating and graduating_text.lower() not in NO:
            bad("graduating", _("“%(value)s” is not 是 or 否") % {"value": graduating_text})

    row = RosterRow(
        row=row_number,
        number=number,
        name=name,
        kind=choice("kind", KINDS),
        gender=choice("gender", GENDERS),
        mobile=mobile or None,
        political_status=choice("political_status", STATUSES),
        unit=unit,
        grade=grade,
        programme=text("programme") or None,
        degree_level=choice("degree_level", DEGREES),
        admin_class=admin_class,
        counsellor=counsellor,
        dorm_room=dorm_room,
        dorm=dorm,
        branch=branch,
        graduating=graduating,
        status=choice("status", PERSON_STATUSES),
    )
    return row if not errors else None


def export_rows(people: Iterable[Person]) -> Iterable[list[Any]]:
    """Rows in the import format, so that export then import changes nothing."""
    for person in people:
        admin_class = person.admin_class
        yield [
            person.number,
            person.name,
            KIND_LABELS[person.kind],
            {"M": "男", "F": "女"}.get(person.gender, ""),
            person.mobile,
            STATUS_LABELS[person.political_status],
            person.unit.name if person.unit else "",
            person.grade or "",
            person.programme,
            DEGREE_LABELS.get(person.degree_level, ""),
            admin_class.name if admin_class else "",
            admin_class.counsellor.number if admin_class and admin_class.counsellor else "",
            str(person.dorm_room) if person.dorm_room else "",
            person.branch.name if person.branch else "",
            "是" if person.graduating else "否",
            PERSON_STATUS_LABELS[person.status],
        ]


def export_queryset(people):
    """People in number order, with everything export_rows reads joined in."""
    return people.select_related("unit", "admin_class__counsellor", "dorm_room", "branch").order_by(
        "number"
    )
