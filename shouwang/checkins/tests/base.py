"""What tests of the pages that read check-ins share: an open incident over
the college, check-ins written straight to the database."""

import datetime as dt
from decimal import Decimal

from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import AdminClass
from shouwang.test import BaseTestCase, make_person

# A Tuesday morning of the lockdown, before the 10:00 deadline.
NOW = beijing(2022, 4, 12, 9, 0)
TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)
STARTED = beijing(2022, 4, 8, 8, 0)


def check_in(person, incident, day=TODAY, at=None, **fields) -> CheckIn:
    """A check-in written straight to the database, as the check-in form would."""
    at = at or clock.at(day, dt.time(8, 0))
    fields.setdefault("location", "campus")
    return CheckIn.objects.create(
        person=person, incident=incident, date=day, submitted_at=at, updated_at=at, **fields
    )


class IncidentTestCase(BaseTestCase):
    """The personas plus an open incident covering the college since April 8."""

    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(
            title="校园封控", started_at=STARTED, opened_by=cls.leader
        )
        cls.incident.units.add(cls.college)

    def setUp(self):
        freezer = freeze_time(NOW)
        freezer.start()
        self.addCleanup(freezer.stop)

    def add_classes(self, count: int, students: int = 3) -> None:
        """More classes under counsellor B, each with students, some checked in."""
        for c in range(count):
            admin_class = AdminClass.objects.create(
                name=f"新班{c}", unit=self.college, counsellor=self.counsellor_b
            )
            for s in range(students):
                person = make_person(
                    f"2022{c:02d}{s:02d}", f"学生{c}{s}", unit=self.college, admin_class=admin_class
                )
                if s % 2:
                    check_in(person, self.incident, late=True, temperature=Decimal("37.6"))
