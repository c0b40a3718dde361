"""Roster files: what registrars really export, read into clean rows.

A roster is a table with one person a row. Real exports have a title row above
the header, Chinese header synonyms, full-width digits, numbers stored as
floats, phones with +86 and dashes, short forms of political status, blank rows
and footer lines. `check_roster` (a `RosterImporter` on the import pipeline,
`shouwang.core.importing`) turns such a table into valid rows and a list of
`row N: field: reason` errors; `people.actions.commit_roster` writes the valid
rows.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

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
    is_blank_or_footer,
)
from shouwang.lib.text import clean_mobile, clean_name, is_mobile

from .dorms import Dorm, parse_dorm
from .models import AdminClass, Branch, DegreeLevel, DormRoom, Person, Unit
from .platform_accounts import DINGTALK_COLUMN, WECOM_COLUMN, AccountHolders, parse_accounts

# The canonical header (what export writes) first, then the synonyms registrars use.
COLUMNS = Columns(
    Column(
        "number",
        gettext_lazy("number"),
        (
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
    ),
    Column("name", gettext_lazy("name"), ("姓名", "名字", "学生姓名", "教师姓名", "name")),
    Column("kind", gettext_lazy("kind"), ("类别", "人员类别", "人员类型", "身份", "kind")),
    Column("gender", gettext_lazy("gender"), ("性别", "gender")),
    Column(
        "mobile",
        gettext_lazy("mobile phone"),
        (
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
    ),
    Column("political_status", gettext_lazy("political status"), ("政治面貌", "political_status")),
    Column(
        "unit",
        gettext_lazy("unit"),
        ("单位", "所在单位", "部门", "学院", "院系", "所在学院", "学院名称", "unit"),
    ),
    Column("grade", gettext_lazy("grade"), ("年级", "所在年级", "grade")),
    Column("programme", gettext_lazy("programme"), ("专业", "专业名称", "所学专业", "programme")),
    Column(
        "degree_level",
        gettext_lazy("degree level"),
        ("培养层次", "学历层次", "层次", "学生类别", "degree_level"),
    ),
    Column(
        "admin_class",
        gettext_lazy("class"),
        ("班级", "行政班", "行政班级", "班级名称", "所在班级", "admin_class"),
    ),
    Column("counsellor", gettext_lazy("counsellor"), ("辅导员工号", "辅导员", "counsellor")),
    Column(
        "dorm_room",
        gettext_lazy("dormitory room"),
        ("宿舍", "宿舍号", "寝室", "寝室号", "宿舍房间", "dorm_room"),
    ),
    Column(
        "branch",
        gettext_lazy("branch"),
        ("党团支部", "支部", "党支部", "团支部", "所在支部", "branch"),
    ),
    Column("graduating", gettext_lazy("graduating"), ("毕业班", "是否毕业班", "graduating")),
    Column("status", gettext_lazy("status"), ("状态", "学籍状态", "在校状态", "status")),
    WECOM_COLUMN,
    DINGTALK_COLUMN,
    required=("number", "name"),
    no_header=gettext_lazy(
        "no header row with a number column (学号/工号) and a name column (姓名)"
    ),
)
EXPORT_HEADERS = COLUMNS.export_headers

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


def _max_length(model: Any, field_name: str) -> int:
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


@dataclass(slots=True)
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
    wecom_userid: str | None = None
    dingtalk_userid: str | None = None


@dataclass
class RosterDefaults:
    """What the operator chose for rows that state nothing: a unit's name, a
    category (Person.Kind), and whether units the file names that do not exist
    are to be created, under the unit named `parent` (or at the top)."""

    unit: str = ""
    kind: str | None = None
    create_units: bool = False
    parent: str = ""


class RosterCheck(Check[RosterRow]):
    """A roster checked, with the units it names that do not exist (and how
    many rows name each) and the defaults it was checked with."""

    def __init__(self, defaults: RosterDefaults) -> None:
        super().__init__()
        self.missing_units: dict[str, int] = {}
        self.defaults = defaults

    @property
    def units_to_create(self) -> list[str]:
        return sorted(self.missing_units) if self.defaults.create_units else []


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


class RosterImporter(Importer[RosterRow]):
    """A roster's rows checked against what is stored, with the operator's defaults."""

    columns = COLUMNS

    def __init__(self, defaults: RosterDefaults | None = None) -> None:
        self.defaults = defaults or RosterDefaults()
        # number -> the first row that has it, bad rows included
        self.first_row_of: dict[str, int] = {}
        self.bad_rows: set[int] = set()

    def new_check(self) -> RosterCheck:
        return RosterCheck(self.defaults)

    def begin(self, check: Check[RosterRow], header: Header) -> None:
        self.result = cast(RosterCheck, check)
        self.header = header.texts
        self.refs = _References()
        self.holders = AccountHolders()
        self.file_kind, self.file_kind_reason = _file_kind(header.texts)

    def skip_row(self, values: dict[str, str], cells: Sequence[Any]) -> bool:
        number = values["number"].replace(" ", "")
        return not values["name"] and not NUMBER_RE.match(number) and is_blank_or_footer(cells)

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[RosterRow]:
        parsed: ParsedRow[RosterRow] = ParsedRow()
        number = values["number"].replace(" ", "")
        if not values["unit"] and self.defaults.unit:
            values["unit"] = self.defaults.unit
        row = _parse_row(row_number, values, self.refs, parsed.errors, self.result)
        accounts = parse_accounts(row_number, number, values, self.holders, parsed.errors)
        if row is not None:
            row.wecom_userid = accounts.get("wecom_userid")
            row.dingtalk_userid = accounts.get("dingtalk_userid")
        is_new = number not in self.refs.numbers
        if not values["kind"] and not self.defaults.kind and is_new:
            # Someone new whose category nothing states: the file's kind where
            # it shows one; else the file waits for a choice.
            code = "kind_assumed" if self.file_kind else "kind_unknown"
            parsed.warnings.append(RowWarning(row_number, code))
        if row is not None and row.kind is None:
            row.kind = (self.defaults.kind or self.file_kind) if is_new else self.defaults.kind
        if number in self.first_row_of:
            parsed.errors.append(
                RowError(
                    row_number,
                    "number",
                    _("duplicate of row %(row)d") % {"row": self.first_row_of[number]},
                )
            )
        elif NUMBER_RE.match(number):
            self.first_row_of[number] = row_number
        if parsed.errors:
            self.bad_rows.add(row_number)
        elif row is not None:
            parsed.value = row
            if row.dorm is not None and not row.dorm.parsed:
                text = _("row %(row)d “%(value)s”") % {"row": row_number, "value": row.dorm_room}
                parsed.warnings.append(RowWarning(row_number, "dorm_not_understood", text))
            if not row.unit:
                parsed.warnings.append(RowWarning(row_number, "no_unit"))
        return parsed

    def finish(self, check: Check[RosterRow]) -> None:
        result = self.result
        _check_counsellors(result, self.refs, self.first_row_of, self.bad_rows)
        _warn_kind(
            result,
            "kind" in self.header,
            self.file_kind_reason,
            result.tally("kind_assumed").count,
            result.tally("kind_unknown").count,
        )
        _warn(result, set(self.header), self.defaults)


def check_roster(
    table: Iterable[Sequence[Any]],
    progress: Callable[[int, int], None] | None = None,
    defaults: RosterDefaults | None = None,
) -> RosterCheck:
    """Validate every row of a roster (a list of rows, or `stream_rows`'s);
    nothing is written."""
    return cast(RosterCheck, RosterImporter(defaults).check(table, progress))


def _file_kind(header: dict[str, str]) -> tuple[str | None, str]:
    """The category the file shows its people to be, and why: students where it
    has a class column or numbers headed 学号; otherwise it shows none."""
    if "admin_class" in header:
        return Person.Kind.STUDENT, _("the file has a class column (班级)")
    if header.get("number") in STUDENT_NUMBER_HEADERS:
        return Person.Kind.STUDENT, _("the file's numbers are headed 学号")
    return None, ""


def _warn_kind(
    result: RosterCheck, has_column: bool, reason: str, assumed: int, undecided: int
) -> None:
    prefix = "" if has_column else _("The file has no category column (类别). ")
    if assumed:
        result.warnings.append(
            CheckWarning(
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
            CheckWarning(
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


def _warn(result: RosterCheck, present: set[str], defaults: RosterDefaults) -> None:
    warnings = result.warnings
    if defaults.kind:
        warnings.append(
            CheckWarning(
                "kind_default",
                _("Rows that state no category (类别) are taken as: %(kind)s.")
                % {"kind": Person.Kind(defaults.kind).label},
            )
        )
    if "unit" not in present and not defaults.unit:
        warnings.append(
            CheckWarning(
                "no_unit_column",
                _(
                    "The file has no unit column (单位): people get no unit, and no "
                    "incident covers them until they have one (a student is covered "
                    "through their class's unit). Choose a default unit."
                ),
            )
        )
    elif no_unit := result.tally("no_unit").count:
        warnings.append(
            CheckWarning(
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
            CheckWarning(
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
        warnings.append(CheckWarning("missing_units", message, values=names))
    missing = [key for key in MISSING_COLUMN_ASSUMPTIONS if key not in present]
    if missing:
        warnings.append(
            CheckWarning(
                "missing_columns",
                _(
                    "Columns the file does not have: %(columns)s. Stored values are kept; "
                    "new people get %(assumed)s."
                )
                % {
                    "columns": "、".join(COLUMNS.by_key[key].headers[0] for key in missing),
                    "assumed": pgettext("list separator", ", ").join(
                        str(MISSING_COLUMN_ASSUMPTIONS[key]) for key in missing
                    ),
                },
                values=missing,
            )
        )
    unread_dorms = result.tally("dorm_not_understood")
    if unread_dorms.count:
        warnings.append(
            CheckWarning(
                "dorm_not_understood",
                _(
                    "Dormitory rooms not understood as building, floor and room, stored as "
                    "given: %(rows)s"
                )
                % {"rows": unread_dorms.quoted()},
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
            person.wecom_userid,
            person.dingtalk_userid,
        ]


def export_queryset(people: QuerySet[Person]) -> QuerySet[Person]:
    """People in number order, with everything export_rows reads joined in."""
    return people.select_related("unit", "admin_class__counsellor", "dorm_room", "branch").order_by(
        "number"
    )
