import datetime as dt

import pytest
from playwright.sync_api import expect

from shouwang.accounts.models import Role
from shouwang.careers import actions
from shouwang.careers.models import Employer, JobFair, Position, Registration
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import PASSWORD, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_graduate_registers_on_a_phone_and_gets_the_rooms_links(personas, page, phone):
    Person.objects.filter(pk=personas.student_a.pk).update(graduating=True)
    office = make_user(make_person("S2001", "吕就业", Person.Kind.STAFF, unit=personas.university))
    office.grant(Role.EMPLOYMENT_OFFICE)
    actions.enrol_cohort(2024, Person.objects.filter(graduating=True), acting_user=office)
    fair = actions.save_fair(
        JobFair(
            title="2024届毕业生网络双选会",
            unit=personas.college,
            organiser="学院团委",
            held_on=clock.today() + dt.timedelta(days=1),
            starts_at=dt.time(9),
            ends_at=dt.time(12),
            platform="腾讯会议",
        ),
        acting_user=office,
    )
    for name, title, link in (
        ("太原软件科技有限公司", "Java开发工程师", "https://meeting.tencent.com/dm/javaroom"),
        ("山西数据科技有限公司", "数据分析师", "https://meeting.tencent.com/dm/dataroom"),
    ):
        employer = actions.save_employer(Employer(name=name, city="太原"), acting_user=office)
        position = actions.save_position(
            Position(employer=employer, title=title, openings=3), acting_user=office
        )
        actions.save_room(fair, employer, room_link=link, positions=[position], acting_user=office)

    # 张三 finds the fairs on his careers page, from the phone's folded menu.
    log_in(phone, "2020001")
    phone.locator(".navbar-toggler").tap()
    phone.locator('#nav a[href="/careers/"]').tap()
    phone.get_by_test_id("fairs-link").tap()
    phone.get_by_test_id("upcoming").get_by_text("2024届毕业生网络双选会").tap()
    expect(phone.get_by_test_id("rooms")).to_contain_text("数据分析师")
    expect(phone.get_by_test_id("room-link")).to_have_count(0)
    phone.get_by_test_id("register").tap()

    expect(phone.get_by_test_id("registered")).to_be_visible()
    links = phone.get_by_test_id("room-link")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("href", "https://meeting.tencent.com/dm/javaroom")
    expect(phone.get_by_test_id("code-form")).to_be_visible()
    button = phone.get_by_test_id("enter").bounding_box()
    assert button is not None and button["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert Registration.objects.filter(fair=fair, person=personas.student_a).count() == 1

    # The office sees the registration and each room's code.
    log_in(page, "S2001")
    page.goto(fair.get_absolute_url())
    expect(page.get_by_test_id("fair-registrations")).to_have_text("1")
    expect(page.get_by_test_id("room-code")).to_have_count(2)
