import re

import pytest
from playwright.sync_api import expect

from shouwang.careers.models import Destination, DestinationReport, Graduate
from shouwang.careers.tests.base import make_careers
from shouwang.careers.tests.objects_outcomes import PDF
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_graduate_reports_an_agreement_on_a_phone_and_the_counsellor_confirms_it(
    personas, phone, page, live_server
):
    make_careers(personas)
    log_in(phone, "2020001")
    phone.goto("/careers/")
    phone.get_by_test_id("report-destination").tap()
    phone.locator("select[name=destination]").select_option(Destination.AGREEMENT)
    phone.locator("input[name=organisation]").fill("太原软件科技有限公司")
    phone.locator("input[name=city]").fill("太原")
    phone.locator("input[name=evidence]").set_input_files(
        {"name": "就业协议书.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_test_id("submit").tap()
    expect(phone).to_have_url(re.compile(r"/careers/$"))
    expect(phone.get_by_test_id("pending")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Her counsellor opens the evidence from the queue and confirms.
    report = DestinationReport.objects.get()
    log_in(page, "T1001")
    page.goto("/careers/")
    queue = page.get_by_test_id("to-confirm")
    expect(queue.get_by_role("link", name="就业协议书.pdf")).to_be_visible()
    queue.get_by_test_id("confirm").click()
    expect(page).to_have_url(re.compile(r"/careers/$"))
    expect(page.get_by_test_id("to-confirm")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == DestinationReport.Status.CONFIRMED

    phone.reload()
    expect(phone.get_by_test_id("destination")).to_contain_text("10")
    expect(phone.get_by_test_id("organisation")).to_contain_text("太原软件科技有限公司")
    assert Graduate.objects.get(person__number="2020001").is_placed
