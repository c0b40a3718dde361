from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import ADMINISTRATION, Entry, register

from .access import can_manage_platform_accounts, can_manage_roster


def _looks_after_people(user: User) -> bool:
    """Counsellors look up their students; leaders and admins everyone they reach."""
    return user.oversees or user.has_role(Role.COUNSELLOR)


register(
    Entry(ADMINISTRATION, _("People"), "people:person_list", _looks_after_people, order=10),
    Entry(ADMINISTRATION, _("Roster import"), "people:roster_import", can_manage_roster, order=20),
    Entry(
        ADMINISTRATION,
        _("WeCom and DingTalk accounts"),
        "people:platform_account_import",
        can_manage_platform_accounts,
        order=21,
    ),
)
