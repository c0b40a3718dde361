"""Dormitory room labels as registrars write them, read into building, floor and room.

`3号楼445`, `3-445`, `3#445`, `3栋445` and `3号楼-445` are one room: building 3
(stored as "3号楼") room 445, on the 4th floor. `3栋4层445` states its floor;
`B-312` is room 312 of building B; `西苑3号楼445室` keeps its campus in the
building's name. Meal rounds walk building by building and floor by floor, so a
room's floor is stored: the one stated, else the digits before the room
number's last two (445 -> 4; 1205 -> 12; a room of one or two digits is on the
ground floor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "3号楼", "3栋", "3幢", "3#", "3座": a numbered building, stored as "3号楼".
# Not "A1": a letter before the digits is part of the building's name.
_NUMBERED_BUILDING = re.compile(r"^(?P<prefix>|.*[^A-Za-z0-9])(?P<n>\d+)(?:号楼|号|栋|幢|#|座)?$")
_BUILDING_MARK = r"(?:号楼|栋|幢|#|座)"
_ROOM = r"[A-Za-z]?\d{1,5}[A-Za-z]?"
_ROOM_SUFFIX = r"(?:室|房|号|寝室)?"
# 西苑3号楼445室, 3栋4层445, 3#445, 西苑3号楼-445 (the building ends with its mark).
_MARKED = re.compile(
    rf"^(?P<building>.*?\d+{_BUILDING_MARK})-?"
    rf"(?:(?P<floor>\d{{1,2}})层-?)?"
    rf"(?P<room>{_ROOM}){_ROOM_SUFFIX}$"
)
# B-312, 3-445, 3-4层-445, 3-4-445, 西苑3-445.
_DASHED = re.compile(
    rf"^(?P<building>[^-]+)-(?:(?P<floor>\d{{1,2}})层?-)?(?P<room>{_ROOM}){_ROOM_SUFFIX}$"
)
# B312: a building letter, then the room.
_LETTER = re.compile(rf"^(?P<building>[A-Za-z])(?P<room>\d{{3,5}}[A-Za-z]?){_ROOM_SUFFIX}$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Dorm:
    """A room as parsed: `parsed` is False when the text was not understood and
    is kept as given (as the room, with no building)."""

    building: str
    number: str
    floor: int | None
    parsed: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return self.building, self.number


def floor_from_number(number: str) -> int | None:
    """The floor a room number implies, Chinese campus style: the digits before
    the last two ("312" -> 3, "1205" -> 12); fewer than three digits, the ground
    floor (1); no digits, None."""
    found = _DIGITS.search(number)
    if not found:
        return None
    digits = found.group()
    return int(digits[:-2]) if len(digits) >= 3 else 1


def building_name(text: str) -> str:
    """A numbered building in one spelling: "3", "3栋", "3幢", "3#" are "3号楼"."""
    match = _NUMBERED_BUILDING.match(text)
    if match:
        return f"{match['prefix']}{int(match['n'])}号楼"
    return text


def parse_dorm(text: str) -> Dorm:
    """Building, floor and room of a label; see the module's docstring."""
    text = text.replace(" ", "").replace("—", "-").replace("－", "-").strip("-")
    for pattern in (_MARKED, _DASHED, _LETTER):
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        number = groups["room"].upper()
        floor_text = groups.get("floor")
        floor = int(floor_text) if floor_text else floor_from_number(number)
        return Dorm(building_name(groups["building"]), number, floor)
    return Dorm("", text, None, parsed=False)


def dorm_label(building: str, number: str, floor: int | None) -> str:
    """The label export writes and parse_dorm reads back to the same room: the
    floor is spelled out only where the room number does not imply it."""
    if not building:
        return number
    if floor is not None and floor != floor_from_number(number):
        return f"{building}-{floor}层-{number}"
    return f"{building}-{number}"
