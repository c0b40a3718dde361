import re

import pytest
from playwright.sync_api import expect

from shouwang.helpdesk import actions
from shouwang.helpdesk.models import HelpRequest
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_student_asks_for_help_on_a_phone_and_confirms_the_resolution(
    personas, phone, live_server
):
    log_in(phone, "2020001")
    phone.goto("/help/")
    phone.get_by_test_id("new-request").tap()
    phone.get_by_label("学业", exact=True).check()
    phone.get_by_label("紧急", exact=True).check()
    phone.locator("textarea[name=description]").fill("笔记本电脑坏了，明天的网课上不了")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_test_id("submit").tap()
    expect(phone).to_have_url(re.compile(r"/help/\d+/$"))
    expect(phone.get_by_test_id("status")).to_have_text("已提交")
    expect(phone.get_by_test_id("handler")).to_have_text("赵璞")

    # The counsellor takes it, answers and resolves it.
    help_request = HelpRequest.objects.get()
    user = personas.counsellor_a_user
    actions.claim(help_request, acting_user=user)
    actions.reply(
        help_request, "学院有备用电脑，今天下午送到宿舍楼下。", internal=False, acting_user=user
    )
    actions.reply(help_request, "从教学办借出一台", internal=True, acting_user=user)
    actions.change_status(help_request, "resolved", "备用电脑已送到", acting_user=user)

    phone.reload()
    expect(phone.get_by_test_id("history")).to_contain_text("今天下午送到宿舍楼下")
    expect(phone.get_by_test_id("history")).not_to_contain_text("从教学办借出一台")
    phone.get_by_test_id("confirm").tap()
    expect(phone.get_by_test_id("status")).to_have_text("已确认解决")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CONFIRMED
