import datetime as dt

import pytest
from playwright.sync_api import expect

from shouwang.lib import clock
from shouwang.teaching import actions
from shouwang.teaching.models import Lesson, Period, TeachingClass, Term
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING = "https://meeting.tencent.com/dm/Xy12AbCd"


def assert_fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px screen"


def test_a_student_opens_home_on_a_phone_and_joins_todays_online_lesson(
    personas, phone, live_server
):
    # A transactional test starts from empty tables: the periods the migration wrote are gone.
    Period.objects.get_or_create(
        number=3, defaults={"starts": dt.time(10, 10), "ends": dt.time(10, 55)}
    )
    Period.objects.get_or_create(
        number=4, defaults={"starts": dt.time(11, 5), "ends": dt.time(11, 50)}
    )
    today = clock.today()
    term = Term.objects.create(
        name="2021-2022-2", first_monday=today - dt.timedelta(days=today.weekday()), weeks=18
    )
    teaching_class = TeachingClass.objects.create(
        term=term,
        code="数据库原理-01",
        course_code="B0101234",
        course_name="数据库原理",
        unit=personas.college,
        online_from=today,
    )
    teaching_class.enrolments.create(student=personas.student_a)
    actions.set_platform(
        teaching_class, platform="tencent_meeting", join_link=MEETING, acting_user=personas.admin
    )
    Lesson.objects.create(
        teaching_class=teaching_class, date=today, first_period=3, last_period=4, online=True
    )
    # The meeting opens outside the college's network: answered here instead.
    phone.route("https://meeting.tencent.com/**", lambda route: route.fulfill(body="腾讯会议"))

    phone.goto("/accounts/login/")
    phone.locator("input[name=username]").fill("2020001")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("main button[type=submit]").tap()
    expect(phone).to_have_url(f"{live_server.url}/")

    today_panel = phone.get_by_test_id("todays-classes")
    expect(today_panel).to_contain_text("数据库原理")
    expect(today_panel).to_contain_text("10:10–11:50")
    join = today_panel.get_by_test_id("join")
    expect(join).to_be_visible()
    expect(join).to_have_attribute("href", MEETING)
    assert_fits_the_screen(phone)

    join.tap()
    expect(phone).to_have_url(MEETING)
