"""The 上课时间 cell of an academic-affairs system's timetable export, read.

正方 and 强智 write a teaching class's weekly meetings as
`星期二第3-4节{1-16周}`, several of them in one cell separated by `;` or a
new line, with weeks such as `1-8,10-16周`, `{1-16周(单)}`, `{第2-16周|双周}`
or `{1-16单周}`, one period as `第3节` and periods listed as `第3,4节`.
`周二3-4节{1-16周}` is read too. Anything else is refused with a message that
says what was not understood: a timetable guessed wrong lays lessons on the
wrong days.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from .actions import SlotRow

# The last period of a college's day and the last week of a term (Term.weeks).
MAX_PERIOD = 16
MAX_WEEK = 30

WEEKDAYS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "日": 7,
    "天": 7,
    "七": 7,
    **{str(day): day for day in range(1, 8)},
}
_DAY = "[一二三四五六日天七1-7]"
# Slots are separated by ; or a new line (which a cleaned cell holds as a
# space), or by a comma or space before the next weekday.
_SLOT_SEPARATOR = re.compile(rf"\s*;\s*|\n+|[,\s]+(?=(?:星期|周){_DAY})")
_SLOT = re.compile(
    rf"""^(?:星期|周)\s*(?P<day>{_DAY})\s*
    第?\s*(?P<periods>\d+(?:\s*[-~至]\s*\d+|(?:\s*[,、]\s*\d+)*))\s*节
    \s*(?P<weeks>.*)$""",
    re.VERBOSE,
)
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
# Around the weeks: {…}, […], (…), 第, | and the word 周.
_WEEKS_NOISE = re.compile(r"[{}\[\]()|第周\s]")


class TimetableError(ValueError):
    """A 上课时间 cell not understood; the message says what and where."""


def parse_time(text: str, location: str = "") -> list[SlotRow]:
    """The weekly slots a 上课时间 cell states, each at `location`; when the
    地点 cell lists as many places as there are slots (`A-201;B-105`), each
    slot takes its own."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    parts = [part for part in _SLOT_SEPARATOR.split(text) if part.strip()]
    if not parts:
        raise TimetableError(_("no class time given"))
    places = _places(location, len(parts))
    return [parse_slot(part, place) for part, place in zip(parts, places, strict=True)]


def _places(location: str, count: int) -> list[str]:
    location = unicodedata.normalize("NFKC", location or "").strip()
    places = [place.strip() for place in re.split(r"\s*;\s*|\n+", location) if place.strip()]
    if count > 1 and len(places) == count:
        return places
    return [location] * count


def parse_slot(text: str, location: str = "") -> SlotRow:
    """One weekly meeting: `星期二第3-4节{1-16周}`."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _SLOT.match(text)
    if match is None:
        raise TimetableError(
            _("“%(text)s” is not a class time such as 星期二第3-4节{1-16周}") % {"text": text}
        )
    first, last = _periods(match["periods"], text)
    weeks, weeks_text = parse_weeks(match["weeks"], text)
    return SlotRow(
        weekday=WEEKDAYS[match["day"]],
        first_period=first,
        last_period=last,
        weeks=weeks,
        weeks_text=weeks_text,
        location=location,
    )


def _periods(periods: str, text: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", periods)]
    if re.search(r"[-~至]", periods):
        first, last = numbers
    else:
        # 第3,4节: listed periods must follow each other.
        first, last = numbers[0], numbers[-1]
        if numbers != list(range(first, last + 1)):
            raise TimetableError(
                _("“%(text)s”: the periods %(periods)s do not follow each other")
                % {"text": text, "periods": periods}
            )
    if not 1 <= first <= last <= MAX_PERIOD:
        raise TimetableError(
            _("“%(text)s”: periods run from 1 to %(max)d, the first before the last")
            % {"text": text, "max": MAX_PERIOD}
        )
    return first, last


def parse_weeks(written: str, text: str = "") -> tuple[tuple[int, ...], str]:
    """The teaching weeks `{1-8,10-16周(单)}` states, parity applied, and
    how they are kept as text (`1-8,10-16周(单)`)."""
    text = text or written
    if not re.search(r"\d", written):
        raise TimetableError(_("“%(text)s”: the weeks are missing, e.g. {1-16周}") % {"text": text})
    parity = _parity(written, text)
    bare = _WEEKS_NOISE.sub("", written.replace("单", "").replace("双", ""))
    items = [item for item in re.split(r"[,、]", bare) if item]
    weeks: set[int] = set()
    ranges = []
    for item in items:
        match = _RANGE.match(item)
        if match is None:
            raise TimetableError(
                _("“%(text)s”: “%(item)s” is not a week or a range of weeks such as 1-16")
                % {"text": text, "item": item}
            )
        start = int(match[1])
        end = int(match[2] or start)
        if not 1 <= start <= end <= MAX_WEEK:
            raise TimetableError(
                _("“%(text)s”: weeks run from 1 to %(max)d, the first before the last")
                % {"text": text, "max": MAX_WEEK}
            )
        weeks.update(range(start, end + 1))
        ranges.append(f"{start}-{end}" if end != start else str(start))
    if parity == "单":
        weeks = {week for week in weeks if week % 2}
    elif parity == "双":
        weeks = {week for week in weeks if not week % 2}
    if not weeks:
        raise TimetableError(_("“%(text)s”: no week is left") % {"text": text})
    weeks_text = ",".join(ranges) + "周" + (f"({parity})" if parity else "")
    return tuple(sorted(weeks)), weeks_text


def _parity(written: str, text: str) -> str:
    """单 (odd weeks only), 双 (even weeks only) or ""."""
    odd, even = "单" in written, "双" in written
    if odd and even:
        raise TimetableError(_("“%(text)s”: odd and even weeks at once") % {"text": text})
    return "单" if odd else "双" if even else ""


def slot_hours(slots: list[SlotRow]) -> int:
    """The periods the slots make over their weeks: the planned hours."""
    return sum((slot.last_period - slot.first_period + 1) * len(slot.weeks) for slot in slots)
