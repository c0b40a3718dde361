from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CAREERS, Entry, register

from .access import fairs_in_menu

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CAREERS, _("Job fairs"), "careers:fair_list", fairs_in_menu, order=30),
)
