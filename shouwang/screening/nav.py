from django.utils.translation import gettext_lazy as _

from shouwang.checkins.access import reads_checkins
from shouwang.core.nav import CHECKINS, Entry, register
from shouwang.incidents.access import can_manage_incidents

register(
    Entry(CHECKINS, _("Screening"), "screening:flag_list", reads_checkins, order=40),
    Entry(CHECKINS, _("Risky regions"), "screening:risk_regions", can_manage_incidents, order=50),
)
