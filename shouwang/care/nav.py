from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import CARE, Entry, register

from .access import can_write_cards, manages_isolations


def _rounds(user: User) -> bool:
    """Volunteers walk the meal rounds; leaders and admins watch them."""
    return user.oversees or user.has_role(Role.VOLUNTEER)


def _writes_cards(user: User) -> bool:
    # The roles first: can_write_cards asks the database about a student's
    # teams, and the menu is drawn on every page.
    return user.has_role(
        Role.TEACHER, Role.COUNSELLOR, Role.LEADER, Role.ADMIN, Role.VOLUNTEER
    ) and can_write_cards(user)


register(
    Entry(CARE, _("Isolation"), "care:isolation_list", manages_isolations, order=30),
    Entry(CARE, _("Meal rounds"), "care:routes", _rounds, order=40),
    Entry(CARE, _("Write a card"), "care:card_new", _writes_cards, order=50),
)
