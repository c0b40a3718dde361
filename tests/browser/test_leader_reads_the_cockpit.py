import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from shouwang.checkins.models import CheckIn
from shouwang.helpdesk.models import HelpRequest
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.reports.cockpit import MODULES
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def open_incident(personas) -> Incident:
    incident = Incident.objects.create(
        title="校园封控",
        started_at=clock.now() - dt.timedelta(days=3),
        opened_by=personas.leader,
    )
    incident.units.add(personas.college)
    return incident


def test_a_leader_reads_the_cockpits_charts_on_a_phone(personas, phone, live_server):
    incident = open_incident(personas)
    today = clock.today()
    for days_ago, person in [
        (0, personas.student_a),
        (1, personas.student_a),
        (1, personas.student_b),
    ]:
        day = today - dt.timedelta(days=days_ago)
        moment = clock.at(day, dt.time(8))
        CheckIn.objects.create(
            person=person,
            incident=incident,
            date=day,
            location="campus",
            submitted_at=moment,
            updated_at=moment,
        )
    HelpRequest.objects.create(
        requester=personas.student_b, category="study", description="网课平台登录不上"
    )
    refused = []  # what the CSP refused, and scripts' errors

    def on_console(message):
        if message.type == "error" and "Refused" in message.text:
            refused.append(message.text)

    phone.on("console", on_console)
    phone.on("pageerror", lambda error: refused.append(str(error)))

    log_in(phone, "T0001")  # 孙书记, the college's leader
    phone.get_by_test_id("cockpit-link").tap()
    expect(phone).to_have_url(f"{live_server.url}/reports/cockpit/")
    # Every panel's chart is drawn, its table kept for screen readers.
    for key in MODULES:
        chart = phone.locator(f"[data-testid=panel-{key}] figure[data-chart]")
        expect(chart.locator("canvas, svg").first).to_be_attached()
        table = phone.locator(f"[data-testid=panel-{key}] [data-chart-table]")
        expect(table).to_have_class(re.compile(r"\bvisually-hidden\b"))
    missing = phone.get_by_test_id("figure-checkins-missing")
    expect(missing.get_by_test_id("value")).to_have_text("8")
    # The phone's screen holds the page: nothing runs off its right edge.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    box = phone.locator("[data-testid=panel-checkins] .cockpit-chart").bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] >= 200
    # The CSP let the charts run: no script or style was refused.
    assert refused == []

    missing.get_by_test_id("link").tap()
    expect(phone).to_have_url(
        f"{live_server.url}/compliance/missing/?incident={incident.pk}&date={today.isoformat()}"
    )
    expect(phone.get_by_test_id("missing-people")).to_contain_text("李四")


def test_without_javascript_the_cockpit_is_its_tables(personas, new_page):
    open_incident(personas)
    page = new_page(
        viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False
    )
    log_in(page, "T0001")
    page.goto("/reports/cockpit/")
    for key in MODULES:
        expect(page.get_by_test_id(f"table-{key}")).to_be_visible()
    assert page.locator("figure[data-chart] canvas").count() == 0
