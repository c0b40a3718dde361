"""Reading the attendance files online platforms export, for any meeting.

A lesson's 腾讯会议 参会成员明细, a 钉钉 视频会议 or 签到/考勤 export, a 学习通
签到 export: each row is someone who joined (a nickname, perhaps a 学号, when
they joined and left, how long they stayed) or signed in (a 签到状态). The
reader knows no domain: the caller gives the numbers it expects (a teaching
class's students, an online session's participants) and gets back, for each
person found, the minutes they were there, and the rows it could not place.

A number is found in the row's 学号/工号 column, or as a run of digits in the
nickname ("2020001张三", "张三-2020001", "计科2001 张三 2020001"): only a run
that is one of the expected numbers counts, so a class name or a phone number
in a nickname matches nobody. Someone who joined several times (a dropped
connection) is one person: their minutes are summed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importing import (
    Check,
    Column,
    Columns,
    Importer,
    ImportRecord,
    ParsedRow,
    Progress,
    RowError,
)

# A meeting's export is one lesson's people: a few hundred rows at most, even
# with every reconnection on its own row. Past this it is not such a file.
MAX_ROWS = 5000


class State:
    """What a sign-in export says of a row (a meeting's rows are all PRESENT)."""

    PRESENT = "present"
    LATE = "late"
    LEAVE = "leave"
    ABSENT = "absent"


# 签到状态 / 打卡结果 as the platforms write them. Anything else that is not
# empty is read as signed in (已签, 正常, 手势签到...).
_STATES = (
    (("未签", "缺勤", "缺卡", "未参加", "旷课", "未到", "absent"), State.ABSENT),
    (("请假", "病假", "事假", "公假", "leave"), State.LEAVE),
    (("迟到", "late"), State.LATE),
)

COLUMNS = Columns(
    Column(
        "name",
        gettext_lazy("name or nickname"),
        (
            "用户昵称",
            "入会昵称",
            "会中昵称",
            "参会者",
            "参会人",
            "参会人员",
            "用户名称",
            "昵称",
            "姓名",
            "学生姓名",
            "name",
            "nickname",
        ),
    ),
    Column("number", gettext_lazy("number"), ("学号", "工号", "学工号", "学号/工号", "number")),
    Column(
        "joined",
        gettext_lazy("joined at"),
        ("入会时间", "首次入会时间", "加入时间", "签到时间", "打卡时间", "上班1打卡时间", "joined"),
    ),
    Column(
        "left",
        gettext_lazy("left at"),
        ("退会时间", "最后退会时间", "离会时间", "离开时间", "left"),
    ),
    Column(
        "duration",
        gettext_lazy("duration"),
        ("参会时长", "累计参会时长", "入会时长", "在线时长", "观看时长", "duration"),
    ),
    Column(
        "state",
        gettext_lazy("sign-in status"),
        ("签到状态", "签到结果", "打卡结果", "上班1打卡结果", "考勤结果", "状态", "status"),
    ),
    required=["name"],
    no_header=gettext_lazy(
        "This is not an attendance export: its first rows have no column of names "
        "or nicknames (用户昵称, 参会者, 姓名)."
    ),
)

_DIGITS = re.compile(r"\d+")
# "1小时25分钟", "85分钟", "1时25分10秒", "5100秒", "85 min".
_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:小时|时|h)")
_MINUTES = re.compile(r"(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m(?!s))")
_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:秒|s)")
# "01:25:10" (h:mm:ss) or "85:10" (mm:ss, as 腾讯会议 writes under an hour).
_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")
_TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%H:%M:%S",
    "%H:%M",
)


def parse_minutes(text: str) -> int | None:
    """A duration as whole minutes (seconds rounded): "85分钟", "1小时25分钟",
    "01:25:10", "85:10" (minutes and seconds), "85"; None if it is none."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return round(float(text))
    clock = _CLOCK.match(text)
    if clock:
        first, second, third = clock.groups()
        if third is None:  # mm:ss
            return round(int(first) + int(second) / 60)
        return round(int(first) * 60 + int(second) + int(third) / 60)
    hours = _HOURS.search(text)
    minutes = _MINUTES.search(text)
    seconds = _SECONDS.search(text)
    if not (hours or minutes or seconds):
        return None
    total = (float(hours.group(1)) * 60 if hours else 0) + (
        float(minutes.group(1)) if minutes else 0
    )
    total += float(seconds.group(1)) / 60 if seconds else 0
    return round(total)


def parse_time(text: str) -> dt.datetime | None:
    """A join or leave time as written in an export; None if it is none."""
    text = text.strip()
    for form in _TIMESTAMP_FORMATS:
        try:
            # Only the difference of two times counts: the zone is any one.
            return dt.datetime.strptime(text, form).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue
    return None


def parse_state(text: str) -> str:
    text = text.strip().lower()
    for words, state in _STATES:
        if any(word in text for word in words):
            return state
    return State.PRESENT


@dataclass(frozen=True)
class AttendanceRow:
    """One row of an export: the spreadsheet's row number, the name or
    nickname as written, the expected number found in it ("" if none), the
    minutes it counts (None for a sign-in without a duration) and its state."""

    row: int
    name: str
    number: str
    minutes: int | None
    state: str = State.PRESENT

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "minutes": self.minutes, "state": self.state}


@dataclass
class Match:
    """Who was found: {person pk: minutes} (None where the file counts no
    time, a sign-in), their sign-in states where not plainly present, the
    rows of expected people marked absent by the platform, and the rows no
    expected number was found in (one per name, minutes summed)."""

    minutes: dict[int, int | None] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    unmatched: list[AttendanceRow] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """What an import keeps of it for its preview (JSON): who, how long, and
        the rows that found nobody."""
        return {
            "matched": {str(pk): minutes for pk, minutes in self.minutes.items()},
            "unmatched": [row.as_dict() for row in self.unmatched],
        }


class AttendanceFile(Importer[AttendanceRow]):
    """An attendance export, read with the numbers the caller expects to find."""

    columns = COLUMNS
    max_rows = MAX_ROWS

    def __init__(self, expected: Collection[str] = ()) -> None:
        self.expected = frozenset(expected)

    def find_number(self, number: str, name: str) -> str:
        """The expected number a row names: its number column, else a run of
        digits in its nickname; "" if none is expected."""
        number = number.replace(" ", "")
        if number:
            # A number column names the person even if nobody expects them.
            return number
        for run in _DIGITS.findall(name):
            if run in self.expected:
                return run
        return ""

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[AttendanceRow]:
        name = values["name"]
        if not name:
            return ParsedRow(errors=[RowError(row_number, "name", _("no name or nickname"))])
        minutes = parse_minutes(values["duration"])
        if minutes is None and values["left"]:
            joined, left = parse_time(values["joined"]), parse_time(values["left"])
            if joined and left and left >= joined:
                minutes = round((left - joined).total_seconds() / 60)
        state = parse_state(values["state"]) if values["state"] else State.PRESENT
        row = AttendanceRow(
            row_number, name, self.find_number(values["number"], name), minutes, state
        )
        return ParsedRow(row)


def read(rows: Iterable[Sequence[Any]], expected: Collection[str] = ()) -> Check[AttendanceRow]:
    """Check an export's rows (a SpreadsheetError if it is not one)."""
    return AttendanceFile(expected).check(rows)


def _add(total: int | None, minutes: int | None) -> int | None:
    if total is None:
        return minutes
    return total + (minutes or 0)


def match(rows: Iterable[AttendanceRow], expected_numbers: dict[str, int]) -> Match:
    """The rows matched to the expected people {number: person pk}: minutes
    summed over a person's rows. A row marked absent by a sign-in export is
    no evidence of attendance and is left out; rows with no expected number
    are unmatched, those of one name summed into its first row."""
    result = Match()
    unmatched: dict[str, AttendanceRow] = {}
    for row in rows:
        pk = expected_numbers.get(row.number)
        if row.state == State.ABSENT:
            continue
        if pk is None:
            earlier = unmatched.get(row.name)
            unmatched[row.name] = (
                row
                if earlier is None
                else AttendanceRow(
                    earlier.row,
                    earlier.name,
                    earlier.number,
                    _add(earlier.minutes, row.minutes),
                    earlier.state,
                )
            )
            continue
        result.minutes[pk] = (
            _add(result.minutes[pk], row.minutes) if pk in result.minutes else (row.minutes)
        )
        if row.state != State.PRESENT:
            result.states[pk] = row.state
    result.unmatched = sorted(unmatched.values(), key=lambda row: row.row)
    return result


def check_upload(
    item: ImportRecord, expected_numbers: dict[str, int], progress: Progress | None = None
) -> tuple[Check[AttendanceRow], Match]:
    """Read an import's uploaded export against the people expected
    ({number: person pk}) and match it (a SpreadsheetError if it is no such file)."""
    with item.rows() as rows:
        check = AttendanceFile(expected_numbers).check(rows, progress)
    return check, match(check.rows, expected_numbers)
