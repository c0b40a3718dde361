from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CAREERS, Entry, register

from .access import reads_positions, runs_careers

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CAREERS, _("Positions"), "careers:position_list", reads_positions, order=30),
    Entry(CAREERS, _("Employers"), "careers:employer_list", runs_careers, order=31),
)
