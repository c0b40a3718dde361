from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CAREERS, Entry, register

from .access import follows_graduates, runs_careers, sees_careers

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CAREERS, _("Careers"), "careers:index", sees_careers, order=10),
    # A graduate reaches the fairs and positions from the careers home: a
    # student's menu stays flat.
    Entry(CAREERS, _("Job fairs"), "careers:fair_list", follows_graduates, order=20),
    Entry(CAREERS, _("Positions"), "careers:position_list", runs_careers, order=30),
    Entry(CAREERS, _("Employers"), "careers:employer_list", runs_careers, order=31),
)
