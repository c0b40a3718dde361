from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import WORK, Entry, register

from .access import can_see_incidents

register(Entry(WORK, _("Incidents"), "incidents:incident_list", can_see_incidents, order=20))
register(Entry(WORK, _("Meetings"), "incidents:meeting_list", can_see_incidents, order=25))
