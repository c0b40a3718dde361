import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def switch_to(page, language):
    page.locator(f"footer button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_the_footer_switches_the_interface_to_english_and_back(page, live_server):
    page.goto("/accounts/login/")
    login = page.locator("main button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(login).to_have_text("登录")

    switch_to(page, "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(login).to_have_text("Log in")
    expect(page.locator("footer button[value=en]")).to_have_class(re.compile(r"\bactive\b"))

    switch_to(page, "zh-hans")
    expect(login).to_have_text("登录")
    expect(page.locator("footer button[value=zh-hans]")).to_have_class(re.compile(r"\bactive\b"))


def test_the_login_page_speaks_chinese_in_its_own_words(page):
    page.goto("/accounts/login/")
    # Strings of this project's own, which only its catalogue can translate.
    label = page.locator("label[for=id_username]").inner_text()
    hint = page.locator("main p.text-secondary").inner_text()
    assert label != "Student or staff number"
    assert CHINESE.search(label), label
    assert CHINESE.search(hint), hint
