"""Who may check in. Every logged-in person may open the check-in pages (someone
outside every regime is told that nothing is required of them); only people an
open incident covers may submit.

The URLs take no object, so each rule sets the scene in its `target`, which runs
inside the matrix cell's transaction and is rolled back with it: an incident
covering the college, or no open incident at all.
"""

import datetime as dt
import uuid

from shouwang.checkins.models import PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.policy import Rule, expect

ANSWERS = {
    "key": str(uuid.UUID(int=1)),
    "location": "campus",
    "health": "normal",
    "contact_with_case": "no",
    "stayed_in_risk_area": "no",
}


def _open_incident(case) -> Incident:
    incident = Incident.objects.create(
        title="policy", started_at=clock.now() - dt.timedelta(days=1)
    )
    incident.units.add(case.college)
    return incident


def covered(case, persona) -> list:
    """Everyone in the college must check in; nobody has accepted the notice."""
    Incident.objects.update(closed_at=clock.now() - dt.timedelta(days=2))
    _open_incident(case)
    return []


def covered_and_accepted(case, persona) -> list:
    Incident.objects.update(closed_at=clock.now() - dt.timedelta(days=2))
    incident = _open_incident(case)
    user = case.users.get(persona)
    if user is not None:
        PrivacyAcceptance.objects.create(person=user.person, version=notice_version(incident))
    return []


def uncovered(case, persona) -> list:
    Incident.objects.update(closed_at=clock.now() - dt.timedelta(days=2))
    return []


RULES = [
    # Without an incident: "no check-in is required of you now".
    Rule("checkins:today", expect(200), target=uncovered),
    Rule("checkins:today", expect(403), method="post", target=uncovered, data=ANSWERS),
    # Covered: the privacy notice first (a POST before accepting gets the notice, not a row).
    Rule("checkins:today", expect(200), target=covered),
    Rule("checkins:today", expect(200), method="post", target=covered, data=ANSWERS),
    # Covered and accepted: the form; a valid submission redirects to the receipt.
    Rule("checkins:today", expect(200), target=covered_and_accepted),
    Rule("checkins:today", expect(200), method="post", target=covered_and_accepted),
    Rule("checkins:today", expect(302), method="post", target=covered_and_accepted, data=ANSWERS),
    Rule("checkins:privacy", expect(200), target=uncovered),
    Rule("checkins:privacy", expect(200), target=covered),
    Rule(
        "checkins:privacy", expect(403), method="post", target=uncovered, data={"version": "1-30d"}
    ),
    Rule("checkins:privacy", expect(302), method="post", target=covered, data={"version": "1-30d"}),
]
