import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from shouwang.care import actions
from shouwang.care.labels import token_for
from shouwang.care.models import BuildingTeam, MealDelivery, MealSlot
from shouwang.lib import clock
from shouwang.test import PASSWORD
from shouwang.volunteers.models import Membership, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_volunteer_on_a_phone_follows_the_door_label_and_confirms_the_meal(
    personas, phone, live_server
):
    team = Team.objects.create(name="春蕾工程志愿服务队", kind=Team.Kind.BRIGADE)
    Membership.objects.create(team=team, person=personas.volunteer_person, is_lead=True)
    BuildingTeam.objects.create(building="B", team=team)
    # A meal due a little later today, whatever the time of the run.
    due = (clock.now() + dt.timedelta(minutes=30)).astimezone().time()
    MealSlot.objects.create(name="午餐", time=due.replace(second=0, microsecond=0))
    actions.place_in_isolation(
        personas.student_a,
        dorm_room=personas.room,
        reason="密切接触",
        dietary_note="清真",
        started_at=clock.now() - dt.timedelta(days=1),
        planned_end=clock.today() + dt.timedelta(days=6),
        acting_user=personas.counsellor_a_user,
    )
    actions.generate_deliveries(clock.today())
    delivery = MealDelivery.objects.get()

    log_in(phone, "2021002")  # 王五, who leads the team that serves building B
    phone.goto("/care/routes/")
    stop = phone.get_by_test_id("stop")
    expect(stop).to_have_count(1)
    expect(stop).to_contain_text("B-312")
    expect(stop).to_contain_text("清真")
    expect(phone.get_by_test_id("routes")).not_to_contain_text("张三")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The phone's camera reads the label's QR code: its URL opens the delivery.
    phone.goto(f"/care/deliveries/scan/{token_for(delivery)}/")
    expect(phone.get_by_test_id("door")).to_have_text("B-312")
    expect(phone.locator("main")).to_contain_text("已扫描门贴")
    phone.get_by_test_id("confirm").tap()
    expect(phone.locator(".alert-success")).to_contain_text("已送达：B-312")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.confirmed_via) == ("delivered", "qr")
    assert delivery.claimed_by == personas.volunteer_person

    phone.goto("/care/routes/")
    expect(phone.get_by_test_id("stop")).to_contain_text("已送达")
    expect(phone).to_have_url(re.compile(r"/care/routes/$"))
