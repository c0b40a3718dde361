import pytest
from playwright.sync_api import expect

from shouwang.test import PASSWORD

NEW_PASSWORD = "Lamp-post-on-Wucheng-Road"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, password):
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").tap()


def assert_fits_the_screen(page):
    # A page wider than the phone scrolls sideways: the worst thing a form can do on WeChat.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px screen"


def test_a_student_changes_the_initial_password_on_a_phone(personas, phone, live_server):
    personas.student.must_change_password = True
    personas.student.save(update_fields=["must_change_password"])

    phone.goto("/")
    expect(phone).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    assert_fits_the_screen(phone)
    log_in(phone, "2020001", PASSWORD)

    expect(phone).to_have_url(f"{live_server.url}/accounts/password/?next=/")
    assert_fits_the_screen(phone)
    phone.locator("input[name=old_password]").fill(PASSWORD)
    phone.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    phone.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    phone.locator("main button[type=submit]").tap()

    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("h1")).to_contain_text("张三")
    expect(phone.locator("main .alert-success")).to_be_visible()
    assert_fits_the_screen(phone)

    # On a phone the menu is folded away behind the toggler.
    phone.locator(".navbar-toggler").tap()
    phone.locator("form[action='/accounts/logout/'] button").tap()
    expect(phone).to_have_url(f"{live_server.url}/accounts/login/")

    log_in(phone, "2020001", NEW_PASSWORD)
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("h1")).to_contain_text("张三")
    assert_fits_the_screen(phone)
