from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import CHECKINS, Entry, register

from .access import follows_leave


def _asks_or_follows(user: User) -> bool:
    """Staff ask for leave (entering campus) and counsellors and leaders follow
    it. A student asks from the check-in page and the home page: their menu
    stays flat."""
    if follows_leave(user):
        return True
    return user.person_id is not None and not user.has_role(Role.STUDENT)


register(Entry(CHECKINS, _("Leave"), "leave:index", _asks_or_follows, order=60))
register(Entry(CHECKINS, _("Not back from leave"), "leave:overdue", follows_leave, order=70))
