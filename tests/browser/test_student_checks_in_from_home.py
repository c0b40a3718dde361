"""An unchanged day on a phone: one tap on the home page, and the receipt."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").tap()


def test_a_student_submits_yesterdays_answers_with_one_tap_from_home(personas, phone, live_server):
    incident = Incident.objects.create(
        title="校园封控", started_at=clock.now() - dt.timedelta(days=2), deadline=dt.time(23, 59)
    )
    incident.units.add(personas.college)
    PrivacyAcceptance.objects.create(person=personas.student_a, version=notice_version(incident))
    yesterday = clock.today() - dt.timedelta(days=1)
    at = clock.at(yesterday, dt.time(8))
    CheckIn.objects.create(
        person=personas.student_a,
        incident=incident,
        date=yesterday,
        submitted_at=at,
        updated_at=at,
        location="home",
        province="14",
        city="1407",
        temperature="36.6",
        note="在家上网课",
    )

    log_in(phone, "2020001")
    expect(phone).to_have_url(f"{live_server.url}/")
    card = phone.get_by_test_id("checkin-status")
    expect(card).to_contain_text("山西省 晋中市")
    expect(card).to_contain_text("在家上网课")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page is {width}px wide on a 390px screen"

    phone.get_by_test_id("submit-same").tap()

    expect(phone.get_by_test_id("receipt")).to_be_visible()
    expect(phone).to_have_url(f"{live_server.url}/checkin/")
    today = CheckIn.objects.get(person=personas.student_a, date=clock.today())
    assert (today.location, today.city, today.note) == ("home", "1407", "在家上网课")
    assert today.temperature is None
    expect(phone.get_by_test_id("receipt")).to_contain_text("在家上网课")

    # Home again: the check-in is done, and the button is gone.
    phone.goto("/")
    expect(phone.get_by_test_id("checkin-status")).to_have_attribute("data-done", "true")
    expect(phone.get_by_test_id("submit-same")).to_have_count(0)
