from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import ADMINISTRATION, Entry, register


def _watches_deliveries(user: User) -> bool:
    """Leaders and admins (access.require_delivery_watcher)."""
    return user.oversees


register(
    Entry(
        ADMINISTRATION,
        _("Undelivered messages"),
        "notify:undelivered",
        _watches_deliveries,
        order=50,
    )
)
