from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import ADMINISTRATION, Entry, register

from .access import can_issue_passwords
from .models import Role, User


def _manages_roles(user: User) -> bool:
    """Admins grant and remove the appointed roles (role_views.require_role_manager)."""
    return user.has_role(Role.ADMIN)


register(
    Entry(
        ADMINISTRATION,
        _("Initial passwords"),
        "passwords:issue_list",
        can_issue_passwords,
        order=30,
    ),
    Entry(ADMINISTRATION, _("Roles"), "accounts:role_list", _manages_roles, order=40),
)
