from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import CHECKINS, Entry, register


def _checks_in(user: User) -> bool:
    """Everyone on the roster checks in; a login without a person has nothing to report."""
    return user.person_id is not None


register(Entry(CHECKINS, _("Daily check-in"), "checkins:today", _checks_in, order=10))
