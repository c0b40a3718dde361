"""The menu fits the screens it is read on: from a 1024 px laptop to a 1920 px
monitor, and a phone. No label breaks inside a word ("首/页"), nothing runs off
the screen sideways, and every group opens."""

import pytest
from playwright.sync_api import expect

from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 1366 and 1280 are the commonest laptops; 1024 the narrowest the bar stays open at.
WIDTHS = [1024, 1280, 1366, 1440, 1920]
CHINA = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}

# How many lines each visible label of the bar takes, and how far it reaches:
# one rectangle per line of each of its words' text.
LABELS = """() => [...document.querySelectorAll(
    "#menu .navbar-brand, #menu .nav-link, #menu .dropdown-item")]
  .filter((label) => label.checkVisibility())
  .map((label) => {
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    const lines = [];
    while (walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      lines.push(...[...range.getClientRects()].filter((rect) => rect.width > 0));
    }
    const box = label.getBoundingClientRect();
    return {text: label.textContent.trim(), lines: lines.length, left: box.left, right: box.right};
  })"""


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def assert_fits(page, width):
    labels = page.evaluate(LABELS)
    assert labels, "no label of the menu is shown"
    broken = [label["text"] for label in labels if label["lines"] != 1]
    assert not broken, f"broken over lines at {width}px: {broken}"
    outside = [label["text"] for label in labels if label["left"] < 0 or label["right"] > width]
    assert not outside, f"off the screen at {width}px: {outside}"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def assert_every_group_opens(page, width):
    groups = page.locator("#menu details.nav-group")
    for number in range(groups.count()):
        group = groups.nth(number)
        entries = group.locator(".dropdown-menu")
        expect(entries).to_be_hidden()
        group.locator("summary").click()
        expect(entries).to_be_visible()
        expect(entries.locator("a").first).to_be_visible()
        assert_fits(page, width)
        group.locator("summary").click()
        expect(entries).to_be_hidden()


def test_the_longest_menu_fits_every_laptop_and_each_group_opens(personas, new_page):
    page = new_page(**CHINA, viewport={"width": WIDTHS[0], "height": 800})
    log_in(page, "S0001")  # the admin: every group, the most entries
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        expect(page.locator("#menu summary")).to_have_count(7)
        expect(page.locator("#menu summary").first).to_be_visible()
        assert_fits(page, width)
        assert_every_group_opens(page, width)


def test_a_students_flat_menu_fits_every_laptop(personas, new_page):
    page = new_page(**CHINA, viewport={"width": WIDTHS[0], "height": 800})
    log_in(page, "2020001")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        expect(page.locator("#menu summary")).to_have_count(0)
        expect(page.locator("#menu").get_by_role("link", name="每日打卡")).to_be_visible()
        assert_fits(page, width)


def test_a_students_menu_folds_on_a_phone_and_fits_it_unfolded(personas, phone):
    log_in(phone, "2020001")
    menu = phone.locator("#menu").get_by_role("link", name="每日打卡")
    expect(menu).to_be_hidden()
    assert_fits(phone, 390)
    phone.locator(".navbar-toggler").tap()
    expect(menu).to_be_visible()
    assert_fits(phone, 390)
    menu.tap()
    expect(phone.locator("#menu [aria-current=page]")).to_have_text("每日打卡")


def test_a_group_closes_as_a_menu_does(personas, page):
    log_in(page, "S0001")
    care = page.locator("#menu details.nav-group", has=page.get_by_text("关怀", exact=True))
    work = page.locator("#menu details.nav-group", has=page.get_by_text("工作", exact=True))
    care.locator("summary").click()
    expect(care.locator(".dropdown-menu")).to_be_visible()
    # Opening another closes the first; so does a click elsewhere, and Escape.
    work.locator("summary").click()
    expect(care.locator(".dropdown-menu")).to_be_hidden()
    expect(work.locator(".dropdown-menu")).to_be_visible()
    page.locator("main").click()
    expect(work.locator(".dropdown-menu")).to_be_hidden()
    care.locator("summary").click()
    page.keyboard.press("Escape")
    expect(care.locator(".dropdown-menu")).to_be_hidden()
    # The group of the page shown is marked.
    care.locator("summary").click()
    care.get_by_role("link", name="求助", exact=True).click()
    expect(care.locator("summary")).to_have_class("nav-link dropdown-toggle active")
