"""The reports' entries in the menu: the cockpit and the chronicles."""

from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import WEBSITE, Entry, register

from .access import reads_reports

register(Entry(WEBSITE, _("Chronicles"), "reports:chronicle_list", reads_reports, order=20))
