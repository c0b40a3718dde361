"""What volunteers add to other apps' pages (see shouwang.core.extensions)."""

from shouwang.core.extensions import contribute
from shouwang.people.access import people_for_user

from .queries import record_of


def reaches(user, person) -> bool:
    return people_for_user(user).filter(pk=person.pk).exists()


# A person's teams (their posts) and the hours they served, on their page:
# for whoever reaches the person.
contribute(
    "people.person",
    "volunteers/record.html",
    visible=reaches,
    context=lambda request, person: {"record": record_of(person)},
)
