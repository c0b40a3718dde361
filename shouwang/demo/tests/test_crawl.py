"""No page of the demo answers 500, for anyone.

Each persona of the demo college logs in and follows every link within three
clicks of their home page, and opens every object of each kind they can see,
closed and resolved ones included. Links are found in the pages, so a new
page is covered as soon as something links to it; the kinds of objects are
listed in KINDS, one line each.
"""

from __future__ import annotations

import re
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.db.models import Model, QuerySet
from django.test import Client, TestCase
from django.urls import reverse

from shouwang.activities.access import (
    activities_for_user,
    awards_for_user,
    entries_for_user,
    sessions_for_user,
    sheets_for_user,
)
from shouwang.activities.access import (
    attendance_imports_for_user as session_attendance_imports_for_user,
)
from shouwang.bulletin.access import letters_for_user
from shouwang.care.access import deliveries_for_user, isolations_for_user
from shouwang.careers.access import (
    attendance_imports_for_user,
    evidence_for_user,
    fairs_for_user,
    graduates_for_user,
    run_fairs_for_user,
)
from shouwang.careers.models import FairEmployer
from shouwang.core.access import jobs_for_user
from shouwang.counselling.access import referrals_for_user
from shouwang.demo import build
from shouwang.demo.context import DEMO_PASSWORD
from shouwang.demo.models import DemoLogin
from shouwang.helpdesk.access import requests_for_user, tasks_for_user
from shouwang.incidents.access import incidents_for_user, meetings_for_user
from shouwang.notices.access import notices_for_user
from shouwang.notify.access import messages_for_user
from shouwang.screening.access import flags_for_user
from shouwang.supplies.access import (
    donations_for_user,
    donors_for_user,
    slips_for_user,
    stocktakes_for_user,
    stores_for_user,
)
from shouwang.supplies.access import (
    requests_for_user as supply_requests_for_user,
)
from shouwang.teaching.access import classes_for_user, lessons_for_user, observations_for_user
from shouwang.volunteers.access import service_reports_for_user, shifts_for_user, teams_for_user
from shouwang.workplan.access import (
    led_plans,
    measures_for_user,
    plans_for_user,
    reports_for_user,
)

from .running import demo_clock

CLICKS = 3
# Pages of one shape (the path with its numbers taken out, and the names of
# its query parameters) fetched per persona by following links: the objects
# themselves are all opened through KINDS.
PER_SHAPE = 3
PER_PERSONA = 400
# Following these would end the session or leave the site's pages.
SKIP = re.compile(r"logout|^/static/|^/media/|^/i18n/")


def page_of(obj: Model) -> str:
    return obj.get_absolute_url()  # type: ignore[attr-defined]


def named(name: str) -> Callable[[Model], str]:
    return lambda obj: reverse(name, args=[obj.pk])


# Each kind of object: its name, the objects a user can see, the page of one.
KINDS: list[tuple[str, Callable[..., QuerySet], Callable[[Model], str]]] = [
    ("incident", incidents_for_user, page_of),
    ("meeting", meetings_for_user, page_of),
    ("screening flag", flags_for_user, named("screening:flag_detail")),
    ("isolation", isolations_for_user, page_of),
    ("meal delivery", deliveries_for_user, page_of),
    ("help request", requests_for_user, named("helpdesk:request_detail")),
    ("help task", tasks_for_user, named("helpdesk:task_detail")),
    ("notice", notices_for_user, page_of),
    ("message", messages_for_user, named("notify:message_detail")),
    ("letter", letters_for_user, page_of),
    ("referral", referrals_for_user, page_of),
    ("team", teams_for_user, named("volunteers:team_detail")),
    ("shift", shifts_for_user, page_of),
    ("service report", service_reports_for_user, page_of),
    ("background job", jobs_for_user, named("core:job_detail")),
    ("observation", observations_for_user, page_of),
    ("teaching class", classes_for_user, page_of),
    ("lesson", lessons_for_user, page_of),
    ("plan", plans_for_user, page_of),
    ("plan overview", led_plans, named("workplan:plan_overview")),
    ("measure", measures_for_user, page_of),
    ("progress report", reports_for_user, page_of),
    ("store", stores_for_user, page_of),
    ("stocktake", stocktakes_for_user, page_of),
    ("donation", donations_for_user, page_of),
    ("donor", donors_for_user, named("supplies:donor_detail")),
    ("supply request", supply_requests_for_user, page_of),
    ("issue slip", slips_for_user, page_of),
    ("graduate", graduates_for_user, page_of),
    ("destination evidence", evidence_for_user, named("careers:evidence")),
    ("job fair", fairs_for_user, page_of),
    (
        "fair room code",
        lambda user: FairEmployer.objects.filter(fair__in=run_fairs_for_user(user)),
        named("careers:fair_room_code"),
    ),
    ("fair attendance file", attendance_imports_for_user, named("careers:fair_attendance_import")),
    ("activity's judging", activities_for_user, named("activities:judging")),
    ("activity's results", activities_for_user, named("activities:results")),
    ("score sheet", sheets_for_user, named("activities:judge_sheet")),
    ("award certificate", awards_for_user, named("activities:certificate")),
    ("activity", activities_for_user, page_of),
    ("entry", entries_for_user, page_of),
    ("activity session", sessions_for_user, named("activities:session_detail")),
    ("attendance file", session_attendance_imports_for_user, named("activities:attendance_import")),
]


class Links(HTMLParser):
    """The same-page addresses a page offers to a GET: links and htmx GETs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "hx-get" or (name == "href" and tag == "a")):
                self.found.append(value)


def links_in(html: str, base: str) -> Iterable[str]:
    parser = Links()
    parser.feed(html)
    for href in parser.found:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


class Crawler:
    """One persona's walk: every failure is kept, none stops it."""

    def __init__(self, client: Client, who: str) -> None:
        self.client, self.who = client, who
        self.seen: set[str] = set()
        self.failures: list[str] = []
        self.fetched = 0

    def fetch(self, url: str):
        self.seen.add(url)
        self.fetched += 1
        try:
            response = self.client.get(url)
        except Exception as error:  # noqa: BLE001 - every failure is reported, not the first
            where = traceback.extract_tb(error.__traceback__)[-1]
            self.failures.append(
                f"{self.who} GET {url}: {type(error).__name__}: {error} "
                f"({where.filename}:{where.lineno})"
            )
            return None
        if response.status_code >= 500:
            self.failures.append(f"{self.who} GET {url}: {response.status_code}")
            return None
        return response

    def follow(self, start: str) -> None:
        """Every link within CLICKS clicks of `start`, a few of each shape."""
        shapes: Counter[str] = Counter()
        queue = deque([(start, 0)])
        while queue and self.fetched < PER_PERSONA:
            url, clicks = queue.popleft()
            if url in self.seen or SKIP.search(url) or shapes[shape(url)] >= PER_SHAPE:
                continue
            shapes[shape(url)] += 1
            response = self.fetch(url)
            if response is None:
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                queue.appendleft((urljoin(url, response["Location"]), clicks))
                continue
            if clicks == CLICKS or "html" not in response.get("Content-Type", ""):
                continue
            html = b"".join(response).decode() if response.streaming else response.text
            queue.extend((link, clicks + 1) for link in links_in(html, url))

    def open_every(self, urls: Iterable[str]) -> None:
        for url in urls:
            if url not in self.seen:
                self.fetch(url)


class DemoCrawlTestCase(TestCase):
    """The demo college as demo.sh starts it, walked by each of its logins."""

    @classmethod
    def setUpClass(cls):
        running = demo_clock()
        running.__enter__()
        cls.addClassCleanup(running.__exit__, None, None, None)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        build.build()

    def test_no_page_answers_500_to_any_persona(self):
        failures: list[str] = []
        walked = []
        for login in DemoLogin.objects.select_related("user"):
            client = Client()
            response = client.post(
                reverse("accounts:login"),
                {"username": login.user.username, "password": DEMO_PASSWORD},
            )
            self.assertEqual(response.status_code, 302, login.role)
            crawler = Crawler(client, login.role)
            crawler.follow("/")
            linked = crawler.fetched
            for _kind, visible, url_of in KINDS:
                crawler.open_every(url_of(obj) for obj in visible(login.user).order_by("pk"))
            walked.append(f"{login.role}: {linked} linked, {crawler.fetched - linked} objects")
            failures += crawler.failures
        # A visitor of the public site, logged in as nobody.
        visitor = Crawler(Client(), "visitor")
        visitor.follow(reverse("bulletin:home"))
        failures += visitor.failures
        self.assertEqual(len(walked), DemoLogin.objects.count())
        if failures:
            self.fail(f"{len(failures)} pages failed:\n" + "\n".join([*failures, *walked]))
