"""China's provinces and prefecture-level cities, shipped with the project
(data/divisions.json; source named in the file). Codes are the national
administrative division codes: province "14", city "1401" (太原市)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "divisions.json"


@cache
def provinces() -> list[dict]:
    """[{"code": "14", "name": "山西省", "cities": [{"code": "1401", "name": "太原市"}, …]}, …]"""
    return json.loads(DATA.read_text(encoding="utf-8"))["provinces"]


@cache
def names() -> dict[str, str]:
    """Every code, province or city, to its name."""
    found = {}
    for province in provinces():
        found[province["code"]] = province["name"]
        for city in province["cities"]:
            found[city["code"]] = city["name"]
    return found


@cache
def province_choices() -> tuple[tuple[str, str], ...]:
    return tuple((p["code"], p["name"]) for p in provinces())


def city_choices(province_code: str) -> list[tuple[str, str]]:
    for province in provinces():
        if province["code"] == province_code:
            return [(c["code"], c["name"]) for c in province["cities"]]
    return []


def is_city_of(city_code: str, province_code: str) -> bool:
    return any(code == city_code for code, _ in city_choices(province_code))


def label(province_code: str, city_code: str = "") -> str:
    """ "山西省 太原市", or the province alone."""
    table = names()
    parts = [table.get(province_code, ""), table.get(city_code, "") if city_code else ""]
    return " ".join(part for part in parts if part)
