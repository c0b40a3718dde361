"""What the API's tests share: the personas on the demo's today, inside an
incident that covers their college."""

import datetime as dt
import uuid
from typing import Any

from django.urls import reverse

from shouwang.checkins.models import PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

TODAY = dt.date(2022, 4, 15)
# Half past nine: before the 10:00 deadline.
MORNING = beijing(2022, 4, 15, 9, 30)
AFTERNOON = beijing(2022, 4, 15, 14, 0)


def answers(**changes: Any) -> dict[str, Any]:
    """A valid body for POST /api/checkins/today, with a fresh key."""
    body: dict[str, Any] = {
        "key": str(uuid.uuid4()),
        "location": "campus",
        "symptoms": [],
        "temperature": 36.5,
        "contact_with_case": False,
        "stayed_in_risk_area": False,
    }
    body.update(changes)
    return body


class ApiTestCase(BaseTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(
            title="并州疫情校园封控",
            level=Incident.Level.II,
            started_at=beijing(2022, 4, 2, 8, 0),
            reminder_times=["08:00", "09:30"],
            opened_by=cls.leader,
        )
        cls.incident.units.add(cls.college)

    @classmethod
    def accept_notice(cls, *people: Person) -> None:
        for person in people:
            PrivacyAcceptance.objects.create(person=person, version=notice_version(cls.incident))

    def submit(self, body: Any, **extra: Any):
        return self.client.post(
            reverse("api:checkin_submit"), body, content_type="application/json", **extra
        )
