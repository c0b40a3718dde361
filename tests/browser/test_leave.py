import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from shouwang.leave.models import LeaveRequest
from shouwang.leave.tests.base import TAIYUAN, make_kinds
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def shown(status):
    # The page speaks Chinese: the label as the browser's language gives it.
    with translation.override("zh-hans"):
        return str(status.label)


def test_a_student_asks_for_leave_on_a_phone_and_the_counsellor_approves(
    personas, phone, page, live_server
):
    make_kinds(personas)
    log_in(phone, personas.student_a.number)
    phone.goto("/leave/")
    # A slow phone: the form's script arrives after the student tapped a kind.
    held = []
    phone.route("**/request_form*.js", lambda route: held.append(route))
    phone.get_by_test_id("ask").tap()
    # A kind without a destination hides it; 离校 asks for one.
    phone.get_by_text("病假", exact=True).tap()
    while not held:
        phone.wait_for_timeout(50)
    expect(phone.get_by_test_id("destination")).to_be_visible()
    held.pop().continue_()
    expect(phone.get_by_test_id("destination")).to_be_hidden()
    phone.get_by_text("离校", exact=True).tap()
    expect(phone.get_by_test_id("destination")).to_be_visible()
    phone.locator("select[name=province]").select_option("14")
    expect(phone.locator(f"select[name=city] option[value='{TAIYUAN}']")).to_have_count(1)
    phone.locator("select[name=city]").select_option(TAIYUAN)
    phone.locator("input[name=address]").fill("山西省人民医院")
    phone.locator("textarea[name=reason]").fill("去医院复查")
    phone.locator("input[name=contact_name]").fill("张父")
    phone.locator("input[name=contact_phone]").fill("13800000000")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_test_id("submit").tap()
    expect(phone).to_have_url(re.compile(r"/leave/\d+/$"))
    expect(phone.get_by_test_id("waiting-on")).to_have_text(personas.counsellor_a.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    log_in(page, personas.counsellor_a.number)
    page.goto("/leave/")
    page.get_by_test_id("queue-link").click()
    page.get_by_test_id("waiting").get_by_text(personas.student_a.name, exact=False).click()
    page.locator("input[name=outcome][value=approved]").check()
    page.get_by_test_id("decide").click()
    expect(page).to_have_url(re.compile(r"/leave/queue/$"))

    phone.reload()
    expect(phone.get_by_test_id("status")).to_have_text(shown(LeaveRequest.Status.APPROVED))
    assert LeaveRequest.objects.get().status == LeaveRequest.Status.APPROVED
