"""What the demo's build steps hand each other."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models.functions import Trunc

from shouwang.accounts.models import Role, User
from shouwang.checkins.models import CheckIn
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.people.models import AdminClass, Branch, Person, Unit
from shouwang.volunteers.models import Team

from .models import DemoLogin
from .names import Faker

# The logins came with the roster, at the start of the academic year.
JOINED = beijing(2021, 9, 1, 8, 0)
DEMO_PASSWORD = "shouwang2022"  # noqa: S105 - printed for everyone to use; the demo holds no real data
SEED = "shouwang-2022-04"


@dataclass
class Demo:
    """The demo college as built so far: each step reads what earlier steps made
    and adds its own, so a later step finds 赵璞 in `posts`, not by a query."""

    seed: str = SEED
    faker: Faker = field(default_factory=Faker)
    units: dict[str, Unit] = field(default_factory=dict)
    branches: dict[str, Branch] = field(default_factory=dict)
    classes: list[AdminClass] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)
    staff: list[Person] = field(default_factory=list)
    students: list[Person] = field(default_factory=list)
    # The people the scenario names or needs by office: "党委书记", "辅导员赵璞", "捐赠者".
    posts: dict[str, Person] = field(default_factory=dict)
    counsellors: list[Person] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    # The lockdown the scenario replays, once `lockdown.open_lockdown` has opened it.
    incident: Incident | None = None
    checkins: list[CheckIn] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)
    _password_hash: str = ""

    def rng(self, step: str) -> random.Random:
        """A generator of its own for each step: adding or changing one step does
        not reshuffle the draws of the others."""
        return random.Random(f"{self.seed}/{step}")

    def add_login(self, role: Role, person: Person, **user_fields: Any) -> User:
        """A login for `person` with DEMO_PASSWORD, ready to use (no forced change),
        listed under `role` in the printed table; the login they already have
        (a teacher's) is given the password. Granting the role is the caller's."""
        if not self._password_hash:
            # One slow hash for all demo logins: they share the password anyway.
            self._password_hash = make_password(DEMO_PASSWORD)
        user, _made = User.objects.update_or_create(
            person=person,
            defaults={
                "password": self._password_hash,
                "must_change_password": False,
                **user_fields,
            },
            create_defaults={
                "username": person.number,
                "password": self._password_hash,
                "must_change_password": False,
                "date_joined": JOINED,
                **user_fields,
            },
        )
        self.logins.append(DemoLogin.objects.create(role=role, user=user))
        return user

    def user(self, role: Role) -> User:
        """The demo login made for `role`."""
        return next(login.user for login in self.logins if login.role == role)


def on_the_minute(name: str) -> Trunc:
    """The field `name` back to its minute, for an update: a moment the demo
    stood at is on the minute, and the clock ran on from it for the
    milliseconds an action takes; truncated, it is the same on every build.
    Truncated in UTC, as stored: Beijing's offset is whole hours, and an
    update on SQLite writes a truncation in another zone back unconverted."""
    return Trunc(name, "minute", tzinfo=dt.timezone.utc)
