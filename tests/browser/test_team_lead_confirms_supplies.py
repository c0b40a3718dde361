"""A brigade's lead, handed its share of a donation, scans the issue slip's
code on a phone and confirms with one tap; the slip and the request say so."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shouwang.supplies import actions
from shouwang.supplies.models import IssueSlip, Store, SupplyRequest
from shouwang.supplies.slips import token_for
from shouwang.supplies.tests.base import make_catalogue
from shouwang.test import PASSWORD
from shouwang.volunteers.models import Membership, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_team_lead_scans_the_slip_on_a_phone_and_confirms_the_supplies(
    personas, phone, live_server
):
    make_catalogue(personas)
    store = Store.objects.create(
        name="学院物资仓库", kind=Store.Kind.WAREHOUSE, unit=personas.college
    )
    team = Team.objects.create(name="春蕾工程志愿服务队", kind=Team.Kind.BRIGADE)
    Membership.objects.create(team=team, person=personas.volunteer_person, is_lead=True)
    actions.receive(
        store, personas.sanitizer, Decimal(48), source="学校调拨", acting_user=personas.leader
    )
    request = actions.submit_request(
        personas.volunteer_person,
        [actions.Asked(personas.sanitizer, Decimal(30))],
        purpose="B楼公共区域消杀",
        for_team=team,
        acting_user=personas.volunteer,
    )
    actions.decide_request(
        request, {request.lines.get().pk: Decimal(24)}, acting_user=personas.leader
    )
    slip = actions.issue(request, store, acting_user=personas.leader)

    log_in(phone, personas.volunteer_person.number)
    phone.goto(reverse("supplies:slip_scan", args=[token_for(slip)]))
    expect(phone.get_by_test_id("recipient")).to_have_text("春蕾工程志愿服务队")
    expect(phone.get_by_test_id("quantity")).to_have_text("1箱")
    expect(phone.get_by_test_id("scanned")).to_be_visible()
    phone.get_by_test_id("confirm").click()
    expect(phone.get_by_test_id("received")).to_be_visible()
    expect(phone.get_by_test_id("via")).to_have_text("扫描发放单二维码")

    slip.refresh_from_db()
    assert slip.via == IssueSlip.Via.QR
    assert slip.received_by == personas.volunteer_person
    assert SupplyRequest.objects.get(pk=request.pk).status == SupplyRequest.Status.DELIVERED
