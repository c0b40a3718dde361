import pytest
from playwright.sync_api import expect

from shouwang.core.audit import access_log_for
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_sees_their_own_students_and_reveals_a_phone_number_with_a_reason(
    personas, page, live_server
):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("T1001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.locator("#menu summary", has_text="管理").click()
    page.locator("#menu a[href='/people/']").click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    results = page.locator("#results tbody")
    expect(results).to_contain_text("张三")
    expect(results).not_to_contain_text("李四")

    response = page.goto(f"/people/{personas.student_b.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("李四")

    page.go_back()
    page.locator("#results").get_by_role("link", name="张三").click()
    expect(page).to_have_url(f"{live_server.url}/people/{personas.student_a.pk}/")
    mobile = page.get_by_test_id("mobile")
    expect(mobile).to_have_text("139****5678")

    page.locator("#phone summary").click()
    reason = page.locator("#phone input[name=reason]")
    page.locator("#phone button[type=submit]").click()
    # The browser holds back a form without a reason; the server checks it again.
    assert reason.evaluate("input => input.validity.valueMissing")
    expect(mobile).to_have_text("139****5678")

    reason.fill("学生未打卡，电话确认")
    page.locator("#phone button[type=submit]").click()
    expect(mobile).to_have_text("13912345678")
    expect(mobile).to_have_attribute("href", "tel:13912345678")
    assert page.url == f"{live_server.url}/people/{personas.student_a.pk}/"  # swapped in place

    reveal = access_log_for(personas.student_a).get(kind="people.mobile_viewed")
    assert reveal.actor == personas.counsellor_a_user
    assert reveal.additional_data["reason"] == "学生未打卡，电话确认"
