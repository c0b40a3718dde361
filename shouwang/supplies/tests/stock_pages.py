"""Reading the stock pages in tests: the text of the elements a test id marks;
and a store kept by a keeper of another college."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test.html import Element, parse_html

from shouwang.accounts.models import Role, User
from shouwang.people.models import Person
from shouwang.supplies.models import Store
from shouwang.test import make_person, make_user

from .base import SuppliesTestCase


def _elements(node: Element | str) -> Iterator[Element]:
    if isinstance(node, str):
        return
    yield node
    for child in node.children:
        yield from _elements(child)


def _text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children).strip()


def texts(response: Any, testid: str) -> list[str]:
    """The text of every element whose data-testid is `testid`, in page order."""
    page = parse_html(response.content.decode())
    return [
        _text(element)
        for element in _elements(page)
        if dict(element.attributes).get("data-testid") == testid
    ]


def text(response: Any, testid: str) -> str:
    """The text of the one element marked `testid`."""
    found = texts(response, testid)
    assert len(found) == 1, f"{len(found)} elements marked {testid}"
    return found[0]


class OtherCollegeStoreTestCase(SuppliesTestCase):
    """Besides the college's stores, the other college's store and its keeper."""

    keeper_b_person: Person
    keeper_b: User
    store_b: Store

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.keeper_b_person = make_person("T9002", "钱库管", Person.Kind.STAFF, unit=cls.college_b)
        cls.keeper_b = make_user(cls.keeper_b_person)
        cls.keeper_b.grant(Role.STORE_KEEPER)
        cls.store_b = Store.objects.create(
            name="会计学院物资仓库", kind=Store.Kind.WAREHOUSE, unit=cls.college_b
        )
        cls.store_b.keepers.add(cls.keeper_b_person)
