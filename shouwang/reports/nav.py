"""The reports' entries in the menu: the cockpit and the chronicles."""

from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import WEBSITE, WORK, Entry, register

from .access import reads_reports

# Roles only: the menu asks the database nothing.
register(
    Entry(WORK, _("Cockpit"), "reports:cockpit", reads_reports, order=5),
    Entry(WEBSITE, _("Chronicles"), "reports:chronicle_list", reads_reports, order=20),
)
