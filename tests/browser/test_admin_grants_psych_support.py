import pytest
from playwright.sync_api import expect

from shouwang.accounts.models import Role, RoleGrant
from shouwang.people.models import Person
from shouwang.test import PASSWORD, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_an_admin_grants_psych_support_and_the_support_worker_sees_who_and_by_whom(
    personas, page, phone, live_server
):
    worker = make_user(make_person("S0100", "吴心语", Person.Kind.STAFF, unit=personas.college))
    worker.grant(Role.PSYCH_SUPPORT)
    RoleGrant.objects.create(user=worker, role=Role.PSYCH_SUPPORT.value)
    make_user(make_person("S0101", "冯老师", Person.Kind.STAFF, unit=personas.college))

    log_in(page, "S0001", live_server)
    page.locator("#menu summary", has_text="管理").click()
    page.get_by_role("link", name="角色管理").click()
    page.get_by_label("学号/工号").fill("S0001")
    page.get_by_label("角色").select_option("psych_support")
    page.get_by_role("button", name="授予", exact=True).click()
    expect(page.locator("main")).to_contain_text("任何人都不能给自己授予角色")
    page.get_by_label("学号/工号").fill("S0101")
    page.get_by_label("角色").select_option("psych_support")
    page.get_by_role("button", name="授予", exact=True).click()
    expect(page.get_by_test_id("role-psych_support")).to_contain_text("冯老师")

    support = phone
    log_in(support, "S0100", live_server)
    support.goto("/inbox/")
    expect(support.locator("main")).to_contain_text("能查看转介的人员有变动")
    support.goto("/counselling/")
    support.get_by_test_id("access-link").click()
    holders = support.get_by_test_id("holders")
    expect(holders).to_contain_text("冯老师")
    expect(holders).to_contain_text("周管理")
    expect(holders).to_contain_text("开始记录之前")
