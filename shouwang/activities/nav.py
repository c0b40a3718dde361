from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CAREERS, Entry, register

from .access import may_judge

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CAREERS, _("Entries to judge"), "activities:my_judging", may_judge, order=60),
)
