"""What volunteers add to other apps' pages (see shouwang.core.extensions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shouwang.core.extensions import contribute
from shouwang.people.access import people_for_user

from .queries import record_of

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.people.models import Person


def reaches(user: User, person: Person) -> bool:
    return people_for_user(user).filter(pk=person.pk).exists()


# A person's teams (their posts) and the hours they served, on their page:
# for whoever reaches the person.
contribute(
    "people.person",
    "volunteers/record.html",
    visible=reaches,
    context=lambda request, person: {"record": record_of(person)},
)
