from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CAREERS, Entry, register

from .access import sees_careers

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CAREERS, _("Careers"), "careers:index", sees_careers, order=10),
)
