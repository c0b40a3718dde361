import pytest
from playwright.sync_api import expect

from shouwang.test import PASSWORD
from shouwang.volunteers.models import SignUp
from shouwang.volunteers.tests.helpers import make_shift, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_member_signs_up_on_a_phone_and_the_lead_checks_them_in(personas, page, phone):
    team = make_team("学生党员先锋岗", lead=personas.volunteer_person, members=[personas.student_a])
    shift = make_shift(team, places=2)

    log_in(phone, "2020001")
    phone.goto("/volunteers/")
    phone.get_by_test_id("shifts").get_by_text("核酸检测秩序维护").tap()
    phone.get_by_test_id("signup").tap()
    expect(phone.get_by_test_id("signed-up")).to_contain_text("你已报名")
    expect(phone.get_by_test_id("taken")).to_contain_text("已报1人")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert SignUp.objects.filter(shift=shift, person=personas.student_a).exists()

    log_in(page, "2021002")  # the volunteer, the team's lead
    page.goto(shift.get_absolute_url())
    expect(page.get_by_test_id("signups")).to_contain_text("张三")
    page.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("check-out")).to_be_visible()
