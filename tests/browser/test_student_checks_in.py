import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, password):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").tap()


def assert_fits_the_screen(page):
    # A page wider than the phone scrolls sideways: the worst thing a form can do on WeChat.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px screen"


@pytest.fixture
def incident(personas):
    incident = Incident.objects.create(
        title="校园封控",
        started_at=clock.now() - dt.timedelta(days=1),
        deadline=dt.time(23, 59),
    )
    incident.units.add(personas.college)
    return incident


def test_a_student_accepts_the_notice_checks_in_and_sees_the_receipt_after_reloading(
    personas, incident, phone, live_server
):
    log_in(phone, "2020001", PASSWORD)
    expect(phone).to_have_url(f"{live_server.url}/")

    phone.goto("/checkin/")
    notice = phone.get_by_test_id("privacy-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("赵璞")
    assert_fits_the_screen(phone)
    phone.get_by_test_id("accept-privacy").tap()
    expect(phone).to_have_url(f"{live_server.url}/checkin/")
    assert PrivacyAcceptance.objects.filter(person=personas.student_a).count() == 1

    form = phone.get_by_test_id("checkin-form")
    expect(form).to_be_visible()
    assert_fits_the_screen(phone)
    phone.locator("label[for=id_location_1]").tap()  # at home
    phone.locator("select[name=province]").select_option("14")
    # htmx swaps in the province's cities.
    expect(phone.locator("select[name=city] option[value='1407']")).to_be_attached()
    phone.locator("select[name=city]").select_option("1407")
    phone.locator("label[for=id_health_0]").tap()  # well
    phone.locator("input[name=temperature]").fill("36.5")
    phone.locator("label[for=id_contact_with_case_0]").tap()  # no
    phone.locator("label[for=id_stayed_in_risk_area_0]").tap()  # no
    phone.locator("textarea[name=note]").fill("在家上网课")
    phone.get_by_test_id("submit").tap()

    receipt = phone.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    checkin = CheckIn.objects.get(person=personas.student_a)
    assert (checkin.location, checkin.province, checkin.city) == ("home", "14", "1407")
    assert str(checkin.temperature) == "36.5"

    phone.reload()
    expect(receipt).to_be_visible()
    submitted = timezone.localtime(checkin.updated_at)
    receipt_time = phone.get_by_test_id("receipt-time")
    expect(receipt_time).to_contain_text(submitted.strftime("%H:%M"))
    assert receipt_time.get_attribute("datetime") == submitted.isoformat()
    expect(receipt).to_contain_text("山西省 晋中市")
    expect(receipt).to_contain_text("在家上网课")
    expect(phone.get_by_test_id("checkin-form")).to_have_count(0)
    assert_fits_the_screen(phone)


def test_without_javascript_a_student_picks_a_city_and_checks_in(
    personas, incident, phone, live_server
):
    # As if htmx never loaded: scripts off for the page (noscript content shows).
    phone.context.new_cdp_session(phone).send(
        "Emulation.setScriptExecutionDisabled", {"value": True}
    )
    PrivacyAcceptance.objects.create(
        person=personas.student_a, version=f"1-{incident.retention_days}d"
    )
    log_in(phone, "2020001", PASSWORD)
    expect(phone).to_have_url(f"{live_server.url}/")
    phone.goto("/checkin/")
    phone.locator("label[for=id_location_2]").tap()  # elsewhere
    phone.locator("select[name=province]").select_option("31")
    phone.locator("button[name=action][value=cities]").tap()
    expect(phone.locator("select[name=city] option[value='310104']")).to_be_attached()
    assert_fits_the_screen(phone)
    # The round trip kept the answer given so far.
    expect(phone.locator("#id_location_2")).to_be_checked()
    phone.locator("select[name=city]").select_option("310104")
    phone.locator("label[for=id_health_0]").tap()
    phone.locator("label[for=id_contact_with_case_0]").tap()
    phone.locator("label[for=id_stayed_in_risk_area_0]").tap()
    phone.get_by_test_id("submit").tap()

    expect(phone.get_by_test_id("receipt")).to_contain_text("上海市 徐汇区")
    checkin = CheckIn.objects.get(person=personas.student_a)
    assert (checkin.location, checkin.province, checkin.city) == ("elsewhere", "31", "310104")
