import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from shouwang.lib import clock
from shouwang.notices import actions
from shouwang.notices.audience import Audience
from shouwang.notices.models import Receipt
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_student_acknowledges_on_a_phone_and_the_author_sees_the_count_move(
    personas, page, phone, live_server
):
    notice = actions.write_notice(
        title="关于全员核酸检测的通知",
        body="明天7:00在体育馆检测，请按楼栋分时段下楼。",
        audience=Audience(classes=(personas.class_a.pk,)),
        requires_acknowledgement=True,
        deadline=clock.now() + dt.timedelta(hours=6),
        acting_user=personas.counsellor_a_user,
    )
    actions.publish(notice, acting_user=personas.counsellor_a_user)

    log_in(page, "T1001")  # 赵璞, the author
    page.goto(notice.get_absolute_url())
    expect(page.get_by_test_id("recipients")).to_have_text("1")
    expect(page.get_by_test_id("acknowledged-count")).to_have_text("0")
    expect(page.locator("#progress")).to_have_attribute("hx-trigger", "every 30s")
    shown_at = page.url

    # The student finds it in the inbox and opens it with one tap.
    log_in(phone, "2020001")
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.get_by_test_id("to-acknowledge")).to_contain_text("关于全员核酸检测的通知")
    phone.goto("/inbox/")
    phone.get_by_test_id("message").filter(has_text="关于全员核酸检测的通知").tap()
    expect(phone).to_have_url(re.compile(rf"/notices/{notice.pk}/$"))
    expect(phone.get_by_test_id("body")).to_contain_text("按楼栋分时段下楼")
    button = phone.get_by_test_id("acknowledge")
    expect(button).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    button.tap()
    expect(phone.get_by_test_id("acknowledged")).to_contain_text("已确认收到")
    receipt = Receipt.objects.get(notice=notice, person=personas.student_a)
    assert receipt.acknowledged_at is not None

    # The author's counts refresh in place, without leaving the page.
    page.get_by_test_id("refresh").click()
    expect(page.get_by_test_id("acknowledged-count")).to_have_text("1")
    expect(page.get_by_test_id("read")).to_have_text("1")
    assert page.url == shown_at
    page.get_by_test_id("outstanding-link").click()
    expect(page.get_by_test_id("outstanding")).not_to_contain_text("张三")
    expect(page.get_by_test_id("outstanding-count")).to_have_text("0")
