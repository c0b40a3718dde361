from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import CAREERS, Entry, register

from .access import may_judge

# Roles and person only: the menu asks the database nothing.


def _has_person(user: User) -> bool:
    """Everyone on the roster: students join, staff run or follow activities."""
    return user.person_id is not None


register(
    Entry(CAREERS, _("Activities"), "activities:index", _has_person, order=50),
    Entry(CAREERS, _("Entries to judge"), "activities:my_judging", may_judge, order=60),
)
