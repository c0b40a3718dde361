from django.utils.translation import gettext_lazy as _

from shouwang.checkins.access import reads_checkins
from shouwang.core.nav import CHECKINS, Entry, register

register(
    Entry(CHECKINS, _("Compliance"), "compliance:overview", reads_checkins, order=20),
    Entry(CHECKINS, _("Not checked in"), "compliance:missing", reads_checkins, order=30),
)
