from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import TEACHING, Entry, register


def _attends_or_teaches(user: User) -> bool:
    return user.has_role(Role.STUDENT, Role.TEACHER)


def _oversees(user: User) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN, Role.TEACHING_OFFICE)


def _supervises_or_oversees(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR) or _oversees(user)


register(Entry(TEACHING, _("Today's classes"), "teaching:today", _attends_or_teaches, order=10))
register(
    Entry(
        TEACHING,
        _("Observations"),
        "teaching:observation_list",
        _supervises_or_oversees,
        order=60,
    ),
    Entry(TEACHING, _("Online-teaching report"), "teaching:report", _oversees, order=70),
)
