from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import WORK, Entry, register

from .access import is_staff_member, reads_plans

# Roles and person only: the menu asks the database nothing.

register(
    Entry(WORK, _("Work plan"), "workplan:plan_list", reads_plans, order=50),
    Entry(WORK, _("My measures"), "workplan:my_measures", is_staff_member, order=51),
)
