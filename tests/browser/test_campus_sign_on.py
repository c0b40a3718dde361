from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from shouwang.accounts.sso import CAS_BACKEND
from shouwang.accounts.tests.fake_sign_on import FakeCAS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campus_cas(settings):
    cas = FakeCAS()
    cas.start()
    settings.CAS_SERVER_URL = cas.server_url
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, CAS_BACKEND]
    yield cas
    cas.stop()


def test_a_student_signs_on_through_the_campus_on_a_phone(personas, phone, live_server, campus_cas):
    # An initial password nobody handed out yet: the campus sign-on needs none.
    personas.student.must_change_password = True
    personas.student.save(update_fields=["must_change_password"])
    campus_cas.signs_in("2020001")

    phone.goto("/checkin/")
    phone.get_by_role("link", name="统一身份认证登录").tap()

    expect(phone).to_have_url(f"{live_server.url}/checkin/")
    phone.goto("/")
    expect(phone.locator("h1")).to_contain_text("张三")

    phone.locator(".navbar-toggler").tap()
    phone.locator("form[action='/accounts/logout/'] button").tap()
    # The campus session ends too: the CAS server's logout page.
    service = urlencode({"service": f"{live_server.url}/"})
    expect(phone).to_have_url(f"{campus_cas.server_url}logout?{service}")


def test_someone_missing_from_the_roster_is_told_whom_to_ask(personas, page, campus_cas):
    campus_cas.signs_in("2099999")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="统一身份认证登录").click()

    expect(page.locator("h1")).to_have_text("未在本系统的名册中找到你")
    expect(page.locator("main")).to_contain_text("学生请联系你的辅导员")
