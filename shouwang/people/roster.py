"""Roster files: what registrars really export, read into clean rows.

A roster is a table with one person a row. Real exports have a title row above
the header, Chinese header synonyms, full-width digits, numbers stored as
floats, phones with +86 and dashes, short forms of political status, blank rows
and footer lines. `check_roster` turns such a table into valid rows and a list
of `row N: field: reason` errors; `people.actions.commit_roster` writes the
valid rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib.spreadsheets import SpreadsheetError, unescape_formula
from shouwang.lib.text import clean, clean_mobile, clean_number, is_mobile

from .models import AdminClass, Branch, DegreeLevel, DormRoom, Person, Unit

# The canonical header (what export writes) first, then the synonyms registrars use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("学号/工号", "学号", "工号", "编号", "学工号", "人员编号", "number"),
    "name": ("姓名", "名字", "name"),
    "kind": ("类别", "人员类别", "身份", "kind"),
    "gender": ("性别", "gender"),
    "mobile": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "mobile"),
    "political_status": ("政治面貌", "political_status"),
    "unit": ("单位", "所在单位", "部门", "学院", "unit"),
    "grade": ("年级", "grade"),
    "programme": ("专业", "programme"),
    "degree_level": ("培养层次", "学历层次", "层次", "degree_level"),
    "admin_class": ("班级", "行政班", "admin_class"),
    "counsellor": ("辅导员工号", "辅导员", "counsellor"),
    "dorm_room": ("宿舍", "宿舍号", "寝室", "dorm_room"),
    "branch": ("党团支部", "支部", "党支部", "团支部", "branch"),
    "graduating": ("毕业班", "是否毕业班", "graduating"),
    "status": ("状态", "学籍状态", "在校状态", "status"),
}
EXPORT_HEADERS = [names[0] for names in COLUMNS.values()]
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
_HEADER_LOOKUP = {
    re.sub(r"\s", "", name).lower(): key for key, names in COLUMNS.items() for name in names
}
# The header is looked for in the first rows only; beyond that it is not a roster.
HEADER_SEARCH_ROWS = 10

KINDS = {
    "学生": Person.Kind.STUDENT, "本科生": Person.Kind.STUDENT, "研究生": Person.Kind.STUDENT,
    "教师": Person.Kind.TEACHER, "专任教师": Person.Kind.TEACHER,
    "职工": Person.Kind.STAFF, "教职工": Person.Kind.STAFF, "行政": Person.Kind.STAFF,
    "管理人员": Person.Kind.STAFF,
}
GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
STATUSES = {
    "中共党员": Person.PoliticalStatus.PARTY_MEMBER,
    "党员": Person.PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": Person.PoliticalStatus.PROBATIONARY,
    "预备党员": Person.PoliticalStatus.PROBATIONARY,
    "共青团员": Person.PoliticalStatus.LEAGUE_MEMBER,
    "团员": Person.PoliticalStatus.LEAGUE_MEMBER,
    "民主党派": Person.PoliticalStatus.DEMOCRATIC_PARTY,
    "民主党派成员": Person.PoliticalStatus.DEMOCRATIC_PARTY,
    "无党派人士": Person.PoliticalStatus.NONPARTISAN,
    "无党派": Person.PoliticalStatus.NONPARTISAN,
    "群众": Person.PoliticalStatus.MASSES,
}
DEGREES = {
    "本科": DegreeLevel.BACHELOR, "本科生": DegreeLevel.BACHELOR,
    "硕士": DegreeLevel.MASTER, "硕士研究生": DegreeLevel.MASTER, "专硕": DegreeLevel.MASTER,
    "学硕": DegreeLevel.MASTER, "博士": DegreeLevel.DOCTOR, "博士研究生": DegreeLevel.DOCTOR,
}
PERSON_STATUSES = {
    "在校": Person.Status.PRESENT, "在职": Person.Status.PRESENT,
    "离校": Person.Status.AWAY, "休学": Person.Status.AWAY, "离职": Person.Status.AWAY,
    "毕业": Person.Status.GRADUATED, "已毕业": Person.Status.GRADUATED,
}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
NUMBER_RE = re.compile(r"^[A-Za-z0-9]{3,32}$")
GRADE_RE = re.compile(r"^(\d{4})(级)?$")

# Reverse maps for export: the full Chinese form of each choice.
KIND_LABELS = {Person.Kind.STUDENT: "学生", Person.Kind.TEACHER: "教师", Person.Kind.STAFF: "职工"}
STATUS_LABELS = {
    Person.PoliticalStatus.PARTY_MEMBER: "中共党员",
    Person.PoliticalStatus.PROBATIONARY: "中共预备党员",
    Person.PoliticalStatus.LEAGUE_MEMBER: "共青团员",
    Person.PoliticalStatus.DEMOCRATIC_PARTY: "民主党派",
    Person.PoliticalStatus.NONPARTISAN: "无党派人士",
    Person.PoliticalStatus.MASSES: "群众",
}
DEGREE_LABELS = {DegreeLevel.BACHELOR: "本科", DegreeLevel.MASTER: "硕士", DegreeLevel.DOCTOR: "博士"}
PERSON_STATUS_LABELS = {
    Person.Status.PRESENT: "在校", Person.Status.AWAY: "离校", Person.Status.GRADUATED: "毕业",
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
    """One valid row, with references still as names (resolved on commit)."""

    row: int
    number: str
    name: str
    kind: str
    gender: str = ""
    mobile: str = ""
    political_status: str = Person.PoliticalStatus.MASSES
    unit: str = ""
    grade: int | None = None
    programme: str = ""
    degree_level: str = ""
    admin_class: str = ""
    counsellor: str = ""
    dorm_room: str = ""
    branch: str = ""
    graduating: bool = False
    status: str = Person.Status.PRESENT


@dataclass
class RosterCheck:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def invalid_count(self) -> int:
        return len({error.row for error in self.errors})

    def summary_line(self) -> str:
        return f"valid: {len(self.rows)}, invalid: {self.invalid_count}"


def find_header(table: list[list[Any]]) -> tuple[int, dict[int, str]]:
    """The header row's index and a map of column index to field name."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = {}
        for col, cell in enumerate(row):
            key = _HEADER_LOOKUP.get(re.sub(r"\s", "", clean(cell)).lower())
            if key and key not in columns.values():
                columns[col] = key
        if {"number", "name"} <= set(columns.values()):
            return index, columns
    raise SpreadsheetError(_("no header row with a number column (学号/工号) and a name column (姓名)"))


class _References:
    """What the rows refer to, loaded once: units, branches, counsellors, classes."""

    def __init__(self) -> None:
        self.units = {name: pk for pk, name in Unit.objects.values_list("pk", "name")}
        self.branches = {name: pk for pk, name in Branch.objects.values_list("pk", "name")}
        self.numbers = set(Person.objects.values_list("number", flat=True))
        self.class_counsellors = {
            name: number or ""
            for name, number in AdminClass.objects.values_list("name", "counsellor__number")
        }


def check_roster(
    table: list[list[Any]], progress: Callable[[int, int], None] | None = None
) -> RosterCheck:
    """Validate every row of a roster table; nothing is written."""
    header_index, columns = find_header(table)
    refs = _References()
    result = RosterCheck()
    body = list(enumerate(table[header_index + 1 :], start=header_index + 2))
    seen: dict[str, int] = {}
    class_counsellor_rows: dict[str, tuple[str, int]] = {}
    counsellor_refs: list[tuple[RosterRow, int]] = []
    file_numbers = set()

    for done, (row_number, cells) in enumerate(body, start=1):
        values = {key: unescape_formula(cells[col]) if col < len(cells) else "" for col, key in columns.items()}
        if _is_blank_or_footer(cells, values):
            continue
        result.total += 1
        errors: list[RowError] = []
        row = _parse_row(row_number, values, refs, errors)
        if row is not None and row.number in seen:
            errors.append(RowError(row_number, "number", _("duplicate of row %(row)d") % {"row": seen[row.number]}))
        if row is not None and not errors:
            seen[row.number] = row_number
            file_numbers.add(row.number)
            if row.admin_class and row.counsellor:
                first = class_counsellor_rows.setdefault(row.admin_class, (row.counsellor, row_number))
                if first[0] != row.counsellor:
                    errors.append(RowError(row_number, "counsellor", _(
                        "class %(cls)s already has counsellor %(other)s in row %(row)d"
                    ) % {"cls": row.admin_class, "other": first[0], "row": first[1]}))
            if not errors and row.counsellor:
                counsellor_refs.append((row, len(result.rows)))
        if errors:
            result.errors.extend(errors)
        elif row is not None:
            result.rows.append(row)
        if progress and done % 1000 == 0:
            progress(done, len(body))

    # A counsellor may be a teacher listed further down the same file.
    known = refs.numbers | file_numbers
    bad = {index for row, index in counsellor_refs if row.counsellor not in known}
    for row, index in counsellor_refs:
        if index in bad:
            result.errors.append(RowError(row.row, "counsellor", _(
                "no person with number %(number)s") % {"number": row.counsellor}))
    if bad:
        result.rows = [row for index, row in enumerate(result.rows) if index not in bad]
    result.errors.sort(key=lambda error: error.row)
    if progress:
        progress(len(body), len(body))
    return result


def _is_blank_or_footer(cells: list[Any], values: dict[str, Any]) -> bool:
    """Blank rows and lines such as "制表人：张老师" or "合计：300人" below the table."""
    filled = [cell for cell in cells if clean(cell)]
    if not filled:
        return True
    return len(filled) == 1 and not clean(values.get("name")) and not NUMBER_RE.match(clean_number(values.get("number")))


def _parse_row(row_number: int, values: dict[str, Any], refs: _References, errors: list[RowError]) -> RosterRow | None:
    def bad(field_name: str, reason: str) -> None:
        errors.append(RowError(row_number, field_name, reason))

    def choice(field_name: str, mapping: dict[str, Any], default: Any) -> Any:
        text = clean(values.get(field_name, ""))
        if not text:
            return default
        found = mapping.get(text, mapping.get(text.lower()))
        if found is None:
            bad(field_name, _("unknown value “%(value)s”") % {"value": text})
        return found if found is not None else default

    number = clean_number(values.get("number"))
    if not number:
        bad("number", _("missing"))
    elif not NUMBER_RE.match(number):
        bad("number", _("“%(value)s” is not a number of 3 to 32 letters or digits") % {"value": number})
    name = clean(values.get("name"))
    if not name:
        bad("name", _("missing"))
    elif len(name) > 50:
        bad("name", _("longer than 50 characters"))

    mobile = clean_mobile(values.get("mobile"))
    if mobile and not is_mobile(mobile):
        bad("mobile", _("“%(value)s” is not an 11-digit mobile number") % {"value": clean(values.get("mobile"))})

    grade = None
    grade_text = clean(values.get("grade"))
    if grade_text:
        match = GRADE_RE.match(grade_text)
        if match:
            grade = int(match.group(1))
        else:
            bad("grade", _("“%(value)s” is not a year such as 2021") % {"value": grade_text})

    unit = clean(values.get("unit"))
    if unit and unit not in refs.units:
        bad("unit", _("no unit named “%(value)s”") % {"value": unit})
    branch = clean(values.get("branch"))
    if branch and branch not in refs.branches:
        bad("branch", _("no branch named “%(value)s”") % {"value": branch})

    admin_class = clean(values.get("admin_class"))
    counsellor = clean_number(values.get("counsellor"))
    if counsellor and not admin_class:
        bad("counsellor", _("a counsellor needs a class"))
    if admin_class and not counsellor:
        # A row that names a known class without its counsellor keeps the class's.
        counsellor = refs.class_counsellors.get(admin_class, "")

    dorm_room = clean(values.get("dorm_room")).replace(" ", "")
    if len(dorm_room) > 60:
        bad("dorm_room", _("longer than 60 characters"))

    graduating_text = clean(values.get("graduating")).lower()
    graduating = graduating_text in YES
    if graduating_text not in YES | NO:
        bad("graduating", _("“%(value)s” is not 是 or 否") % {"value": graduating_text})

    row = RosterRow(
        row=row_number,
        number=number,
        name=name,
        kind=choice("kind", KINDS, Person.Kind.STUDENT),
        gender=choice("gender", GENDERS, ""),
        mobile=mobile,
        political_status=choice("political_status", STATUSES, Person.PoliticalStatus.MASSES),
        unit=unit,
        grade=grade,
        programme=clean(values.get("programme")),
        degree_level=choice("degree_level", DEGREES, ""),
        admin_class=admin_class,
        counsellor=counsellor,
        dorm_room=dorm_room,
        branch=branch,
        graduating=graduating,
        status=choice("status", PERSON_STATUSES, Person.Status.PRESENT),
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
    return people.select_related("unit", "admin_class__counsellor", "dorm_room", "branch").order_by("number")

