import pytest
from django.conf import settings
from playwright.sync_api import expect

from shouwang.careers.models import Graduate
from shouwang.careers.tests.base import make_careers
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_graduate_browses_the_positions_for_their_major_and_mutes_the_digest_on_a_phone(
    personas, phone, live_server
):
    make_careers(personas)
    page = phone
    # In English: the Chinese catalogue is written last.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("2020001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto("/careers/positions/")
    positions = page.get_by_test_id("positions")
    expect(positions).to_contain_text("Java开发工程师")
    expect(positions).to_contain_text("6000–9000 yuan a month")
    expect(page.get_by_test_id("for-me")).to_have_count(1)
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator("summary", has_text="Filter").click()
    page.get_by_label("for my major").check()
    page.locator("[data-testid=filter] button[type=submit]").click()
    expect(page.get_by_test_id("count")).to_contain_text("1")

    page.get_by_test_id("position").first.click()
    expect(page.get_by_test_id("salary")).to_have_text("6000–9000 yuan a month")
    expect(page.locator("body")).not_to_contain_text("contact phone")

    page.goto("/careers/positions/")
    page.get_by_test_id("digest-mute").click()
    page.get_by_test_id("toggle").click()
    expect(page.get_by_test_id("state")).to_have_text("The digest is muted.")
    assert Graduate.objects.get(person=personas.student_a).digest_muted
