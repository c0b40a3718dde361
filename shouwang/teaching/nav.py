from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import TEACHING, Entry, register

from .access import oversees_teaching


def _attends_or_teaches(user: User) -> bool:
    return user.has_role(Role.STUDENT, Role.TEACHER)


def _teaches_or_oversees(user: User) -> bool:
    # Roles only: the menu reads no database. A teacher with no class sees an empty list.
    return user.has_role(Role.TEACHER) or oversees_teaching(user)


register(
    Entry(TEACHING, _("Today's classes"), "teaching:today", _attends_or_teaches, order=10),
    Entry(TEACHING, _("Teaching classes"), "teaching:class_list", _teaches_or_oversees, order=20),
    Entry(TEACHING, _("Lesson approvals"), "teaching:approvals", oversees_teaching, order=30),
    Entry(TEACHING, _("Go online"), "teaching:go_online", oversees_teaching, order=40),
)
