from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import WORK, Entry, register


def _volunteers_or_oversees(user: User) -> bool:
    """Anyone on the roster may join a team; leaders and admins see every team."""
    return user.person_id is not None or user.oversees


register(Entry(WORK, _("Volunteering"), "volunteers:team_list", _volunteers_or_oversees, order=30))
