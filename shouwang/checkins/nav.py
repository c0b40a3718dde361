from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import User
from shouwang.core.nav import CHECKINS, Entry, register
from shouwang.incidents.access import can_manage_incidents

from .access import can_see_compliance


def _checks_in(user: User) -> bool:
    """Everyone on the roster checks in; a login without a person has nothing to report."""
    return user.person_id is not None


register(
    Entry(CHECKINS, _("Daily check-in"), "checkins:today", _checks_in, order=10),
    Entry(CHECKINS, _("Compliance"), "checkins:compliance", can_see_compliance, order=20),
    Entry(CHECKINS, _("Not checked in"), "checkins:missing", can_see_compliance, order=30),
    Entry(CHECKINS, _("Screening"), "checkins:flag_list", can_see_compliance, order=40),
    Entry(CHECKINS, _("Risky regions"), "checkins:risk_regions", can_manage_incidents, order=50),
)
