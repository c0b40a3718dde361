from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import CARE, Entry, register

from .access import sees_overview


def _asks_or_handles(user: User) -> bool:
    """Everyone on the roster may ask for help; leaders and admins see the requests."""
    return user.person_id is not None or user.oversees


register(
    Entry(CARE, _("Help requests"), "helpdesk:request_list", _asks_or_handles, order=10),
    Entry(CARE, _("Help requests overview"), "helpdesk:overview", sees_overview, order=20),
)
