"""What counselling adds to other apps' pages (see shouwang.core.extensions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shouwang.core.extensions import contribute

from .access import referable_students

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.people.models import Person


def may_refer(user: User, person: Person) -> bool:
    return referable_students(user).filter(pk=person.pk).exists()


# On a student's page, their class's counsellor may refer them; nobody else
# learns from the page that referrals exist.
contribute(
    "people.person",
    "counselling/refer_button.html",
    visible=may_refer,
    context=lambda request, person: {"person": person},
)
