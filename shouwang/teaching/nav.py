from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import TEACHING, Entry, register


def _attends_or_teaches(user: User) -> bool:
    return user.has_role(Role.STUDENT, Role.TEACHER)


register(Entry(TEACHING, _("Today's classes"), "teaching:today", _attends_or_teaches, order=10))
