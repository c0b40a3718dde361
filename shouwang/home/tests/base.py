"""What the home pages' tests share: the personas under an open incident
(checkins' IncidentTestCase: Tuesday 2022-04-12, 09:00, deadline 10:00), with
reminders at 08:00 and 09:30, and a reader of a page's forms."""

from __future__ import annotations

from html.parser import HTMLParser

from shouwang.checkins.models import PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.checkins.tests.base import IncidentTestCase
from shouwang.people.models import Person


class IncidentHomeTestCase(IncidentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident.reminder_times = ["08:00", "09:30"]
        cls.incident.save(update_fields=["reminder_times"])

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def accept_notice(self, person: Person) -> None:
        PrivacyAcceptance.objects.create(person=person, version=notice_version(self.incident))


class _FormReader(HTMLParser):
    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid = testid
        self.inside = False
        self.action: str | None = None
        self.data: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("data-testid") == self.testid:
            self.inside, self.action = True, attributes.get("action")
        elif tag == "input" and self.inside and attributes.get("name"):
            self.data.append((attributes["name"] or "", attributes.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def read_form(response, testid: str) -> tuple[str, dict[str, list[str]]]:
    """The action and the fields a browser would post from the page's form
    `data-testid=testid`, exactly as the page wrote them."""
    reader = _FormReader(testid)
    reader.feed(response.content.decode())
    assert reader.action is not None, f"no form {testid!r} on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return reader.action, data
