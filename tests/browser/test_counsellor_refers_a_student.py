import pytest
from playwright.sync_api import expect

from shouwang.accounts.models import Role
from shouwang.counselling.models import Referral
from shouwang.people.models import Person
from shouwang.test import PASSWORD, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "隔离第三天，晚上查寝时哭了很久"


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def assert_fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px screen"


def test_a_counsellor_refers_on_a_phone_and_a_support_worker_takes_it_on(
    personas, phone, page, live_server
):
    support = make_user(make_person("S0100", "吴心语", Person.Kind.STAFF, unit=personas.college))
    support.grant(Role.PSYCH_SUPPORT)

    log_in(phone, "T1001", live_server)
    phone.goto(f"/people/{personas.student_a.pk}/")
    phone.get_by_test_id("refer").tap()
    expect(phone).to_have_url(f"{live_server.url}/counselling/refer/{personas.student_a.pk}/")
    assert_fits_the_screen(phone)
    phone.get_by_label("隔离或封控").check()
    phone.get_by_label("较急：一天内").check()
    phone.locator("textarea[name=summary]").fill(SUMMARY)
    phone.locator("main button[type=submit]").tap()
    expect(phone.get_by_test_id("consent")).to_be_visible()
    referral = Referral.objects.get()
    expect(phone).to_have_url(f"{live_server.url}/counselling/{referral.pk}/")
    expect(phone.get_by_test_id("consent")).to_contain_text("尚未记录")
    assert_fits_the_screen(phone)

    phone.get_by_label("当面口头同意").check()
    phone.get_by_role("button", name="记录同意").tap()
    expect(phone.get_by_test_id("consent")).to_contain_text("当面口头同意")

    worker = page
    log_in(worker, "S0100", live_server)
    worker.goto("/inbox/")
    expect(worker.locator("main")).to_contain_text("新的心理转介")
    expect(worker.locator("main")).not_to_contain_text("张三")
    worker.goto("/counselling/")
    worker.get_by_test_id(f"referral-{referral.pk}").click()
    expect(worker.get_by_test_id("summary")).to_contain_text(SUMMARY)
    worker.get_by_role("button", name="接手此转介").click()
    expect(worker.get_by_test_id("status")).to_contain_text("吴心语")
    worker.locator("textarea[name=body]").fill("已视频交流，约定每天报平安")
    worker.get_by_role("button", name="添加记录").click()
    expect(worker.get_by_test_id("notes")).to_contain_text("约定每天报平安")

    phone.reload()
    expect(phone.get_by_test_id("notes")).to_contain_text("约定每天报平安")
    assert_fits_the_screen(phone)
