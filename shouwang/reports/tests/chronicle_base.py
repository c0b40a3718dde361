"""The chronicle's tests' common ground: the personas' college under an
incident that began five days ago, and a chronicle of it drafted by its leader."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.core.cache import cache

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.reports import actions
from shouwang.reports.chronicle import json_values
from shouwang.reports.figures import compute
from shouwang.reports.models import Chronicle
from shouwang.test import BaseTestCase, make_person


def open_incident(case, title: str = "校园封控") -> Incident:
    incident = Incident.objects.create(
        title=title, opened_by=case.leader, started_at=clock.now() - dt.timedelta(days=5)
    )
    incident.units.add(case.college)
    return incident


class ChronicleTestCase(BaseTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = open_incident(cls)

    def setUp(self):
        cache.clear()

    def draft(self) -> Chronicle:
        return actions.draft(unit=self.college, incident=self.incident, acting_user=self.leader)

    def counted(self, chronicle: Chronicle, key: str):
        """What the figure's own query counts now, as JSON has it."""
        return json_values(compute(chronicle.scope(), [key]))[key]

    def add_student(self, number: str = "2021099") -> Person:
        return make_person(number, "新同学", unit=self.college, admin_class=self.class_b)


def account_text(response) -> str:
    """The account as the editor's reader reads it: its text, figures said."""
    page = response.content.decode()
    article = re.search(r'data-testid="chronicle-text">(.*?)</article>', page, re.S)
    assert article is not None, "the page shows no account"
    return html.unescape(re.sub(r"<[^>]+>", "", article[1]))
