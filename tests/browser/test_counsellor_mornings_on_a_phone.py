"""The counsellor's morning on a phone: one page, no sideways scroll, and one
tap reminds everyone missing."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shouwang.checkins.models import CheckIn
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.test import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A small phone: the narrowest a counsellor's page must fit.
SMALL_PHONE = {
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").tap()


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide on a 375px screen"


def test_a_counsellor_reads_the_morning_and_reminds_all_the_missing(
    personas, new_page, live_server
):
    incident = Incident.objects.create(
        title="校园封控", started_at=clock.now() - dt.timedelta(days=2), deadline=dt.time(23, 59)
    )
    incident.units.add(personas.college)
    unwell = make_person("2020002", "欧阳明月", admin_class=personas.class_a, unit=personas.college)
    now = clock.now()
    CheckIn.objects.create(
        person=unwell,
        incident=incident,
        date=clock.today(),
        submitted_at=now,
        updated_at=now,
        location="home",
        province="14",
        city="1407",
        symptoms=["cough", "sore_throat", "fatigue", "loss_of_smell"],
        temperature=Decimal("38.4"),
        contact_with_case=True,
        note="从昨天晚上开始一直咳嗽，嗓子疼，浑身没有力气，已经在家自行隔离观察。",
    )

    phone = new_page(**SMALL_PHONE)
    log_in(phone, "T1001")  # 赵璞, counsellor of 计科2001
    expect(phone).to_have_url(f"{live_server.url}/")
    phone.get_by_test_id("morning-link").tap()
    expect(phone).to_have_url(f"{live_server.url}/morning/")

    expect(phone.get_by_test_id("missing")).to_contain_text("张三")
    expect(phone.get_by_test_id("abnormal")).to_contain_text("欧阳明月")
    expect(phone.get_by_test_id("abnormal")).to_contain_text("38.4 °C")
    expect(phone.locator("body")).not_to_contain_text("李四")  # counsellor B's student
    assert_fits(phone)

    button = phone.get_by_test_id("remind-all")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44, "the button is smaller than a thumb"
    button.tap()

    expect(phone).to_have_url(f"{live_server.url}/morning/")
    expect(phone.get_by_test_id("reminded")).to_be_visible()
    expect(phone.get_by_test_id("remind-all-done")).to_be_disabled()
    assert_fits(phone)
    assert list(Message.objects.filter(kind=REMINDER).values_list("recipient_id", flat=True)) == [
        personas.student_a.pk
    ]

    # The person's page is one tap from their line.
    phone.get_by_test_id("missing").get_by_role("link", name="张三").tap()
    expect(phone).to_have_url(f"{live_server.url}/people/{personas.student_a.pk}/")
