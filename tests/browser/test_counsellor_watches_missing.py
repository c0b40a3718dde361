import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from shouwang.checkins.models import CheckIn
from shouwang.core.audit import access_log_for
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def open_incident(personas) -> Incident:
    """An incident covering the college since yesterday, today's deadline still ahead."""
    incident = Incident.objects.create(
        title="校园封控",
        started_at=clock.now() - dt.timedelta(days=1),
        deadline=dt.time(23, 59, 59),
        opened_by=personas.leader,
    )
    incident.units.add(personas.college)
    return incident


def check_in_on_the_phone(phone):
    phone.goto("/checkin/")
    phone.get_by_test_id("accept-privacy").tap()
    form = phone.get_by_test_id("checkin-form")
    for field, value in [
        ("location", "campus"),
        ("health", "normal"),
        ("contact_with_case", "no"),
        ("stayed_in_risk_area", "no"),
    ]:
        form.locator(f"[data-field={field}] input[value={value}] + label").tap()
    phone.get_by_test_id("submit").tap()
    expect(phone.get_by_test_id("receipt")).to_be_visible()


def test_a_counsellor_watches_a_student_leave_the_missing_list(personas, page, phone, live_server):
    incident = open_incident(personas)
    log_in(page, "T1001")  # 赵璞, counsellor of 计科2001
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto("/compliance/")
    row = page.locator(f"[data-row='class-{personas.class_a.pk}']")
    expect(row).to_contain_text("计科2001")
    expect(page.locator("[data-testid=rows]")).not_to_contain_text("信管2101")
    row.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/compliance/missing/\?.*class={personas.class_a.pk}"))
    missing = page.get_by_test_id("missing-people")
    expect(missing).to_contain_text("张三")
    expect(missing).to_contain_text("139****5678")
    expect(missing).not_to_contain_text("李四")
    # The list polls for changes by itself every minute.
    expect(page.locator("#missing")).to_have_attribute("hx-trigger", "every 60s")
    listed_at = page.url

    log_in(phone, "2020001")
    check_in_on_the_phone(phone)
    assert CheckIn.objects.filter(person=personas.student_a, incident=incident).exists()

    # Refreshing swaps the list in place (htmx), without leaving the page.
    page.get_by_test_id("refresh").click()
    expect(missing).not_to_contain_text("张三")
    expect(page.get_by_test_id("missing-people")).to_have_count(1)
    assert page.url == listed_at

    page.reload()
    expect(page.get_by_test_id("missing-people")).not_to_contain_text("张三")
    assert access_log_for(incident).filter(actor=personas.counsellor_a_user).exists()
