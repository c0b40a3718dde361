import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from shouwang.bulletin.actions import answer_letter
from shouwang.bulletin.models import Letter, Mailbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px screen"


def test_a_visitor_writes_to_the_secretary_and_reads_the_answer_with_the_code(
    personas, phone, live_server
):
    cache.clear()
    Mailbox.objects.create(name="书记信箱", slug="secretary", person=personas.leader_person)

    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="学院新闻与通知公告").tap()
    phone.get_by_role("link", name="书记信箱").first.tap()
    expect(phone.locator("h1")).to_have_text("书记信箱")
    assert_fits_the_screen(phone)
    phone.get_by_label("主题").fill("隔离宿舍的午饭")
    phone.get_by_label("来信", exact=True).fill("午饭一点多才送到，下午还有网课。")
    phone.get_by_role("button", name="提交来信").tap()

    code = phone.get_by_test_id("code").inner_text()
    expect(phone.get_by_test_id("answer")).to_have_text("尚未答复。")
    assert_fits_the_screen(phone)

    letter = Letter.objects.get(code=code)
    answer_letter(letter, answer="已调整送餐路线，午饭11:30前送达。", acting_user=personas.leader)

    phone.goto("/bulletin/")
    phone.get_by_role("link", name="凭查询码查看来信答复").tap()
    phone.get_by_label("查询码").fill(code.lower())
    phone.get_by_role("button", name="查询").tap()
    expect(phone.get_by_test_id("answer")).to_have_text("已调整送餐路线，午饭11:30前送达。")
    assert_fits_the_screen(phone)
