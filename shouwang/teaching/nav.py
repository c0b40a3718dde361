from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, User
from shouwang.core.nav import TEACHING, Entry, register

from .access import oversees_teaching

# Roles only: the menu asks the database nothing.


def _attends_or_teaches(user: User) -> bool:
    return user.has_role(Role.STUDENT, Role.TEACHER)


def _supervises_or_oversees(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR) or oversees_teaching(user)


def _teaches_or_oversees(user: User) -> bool:
    # A teacher with no class sees an empty list.
    return user.has_role(Role.TEACHER) or oversees_teaching(user)


def _follows_students(user: User) -> bool:
    """Counsellors and leaders: their students' absences and readiness."""
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


register(
    Entry(TEACHING, _("Today's classes"), "teaching:today", _attends_or_teaches, order=10),
    Entry(
        TEACHING,
        _("Observations"),
        "teaching:observation_list",
        _supervises_or_oversees,
        order=60,
    ),
    Entry(TEACHING, _("Online-teaching report"), "teaching:report", oversees_teaching, order=70),
    Entry(TEACHING, _("Terms"), "teaching:term_list", oversees_teaching, order=80),
    Entry(
        TEACHING, _("Timetable import"), "teaching:timetable_import", oversees_teaching, order=81
    ),
    Entry(
        TEACHING, _("Enrolment import"), "teaching:enrolment_import", oversees_teaching, order=82
    ),
    Entry(TEACHING, _("Teaching classes"), "teaching:class_list", _teaches_or_oversees, order=20),
    Entry(TEACHING, _("The day's lessons"), "teaching:lesson_list", oversees_teaching, order=25),
    Entry(TEACHING, _("Lesson approvals"), "teaching:approvals", oversees_teaching, order=30),
    Entry(TEACHING, _("Go online"), "teaching:go_online", oversees_teaching, order=40),
    Entry(TEACHING, _("Absences"), "teaching:absences", _follows_students, order=45),
    Entry(TEACHING, _("Readiness"), "teaching:readiness_list", _follows_students, order=50),
)
