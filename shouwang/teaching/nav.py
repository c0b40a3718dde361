from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import TEACHING, Entry, register


def _attends_or_teaches(user: User) -> bool:
    return user.has_role(Role.STUDENT, Role.TEACHER)


def _follows_students(user: User) -> bool:
    """Counsellors and leaders: their students' absences and readiness."""
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


register(
    Entry(TEACHING, _("Today's classes"), "teaching:today", _attends_or_teaches, order=10),
    Entry(TEACHING, _("Absences"), "teaching:absences", _follows_students, order=40),
    Entry(TEACHING, _("Readiness"), "teaching:readiness_list", _follows_students, order=50),
)
