"""A leader drafts the chronicle of an incident, edits its prose around the
figures (shown as chips that cannot be typed into) and saves it: the words
change, the figures stay the data's."""

import datetime as dt

import pytest
from django.utils import translation
from playwright.sync_api import expect

from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.reports.figures import FIGURES
from shouwang.reports.models import Chronicle, ChronicleSection
from shouwang.test import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_leader_edits_the_prose_around_the_figures(personas, page, live_server):
    incident = Incident.objects.create(
        title="校园封控", opened_by=personas.leader, started_at=clock.now() - dt.timedelta(days=3)
    )
    incident.units.add(personas.college)

    log_in(page, "T0001", live_server)
    page.goto("/reports/chronicles/")
    page.locator("select[name=unit]").select_option(str(personas.college.pk))
    page.locator("select[name=incident]").select_option(str(incident.pk))
    page.locator("form[action$='/draft/'] button[type=submit]").click()
    chronicle = Chronicle.objects.get()
    expect(page).to_have_url(f"{live_server.url}{chronicle.get_absolute_url()}")

    # The care section's box shows its figures as chips with their values.
    box = page.locator("[data-prose-for=id_care-text]")
    expect(box).to_be_visible()
    expect(page.locator("#id_care-text")).to_be_hidden()
    chip = box.locator(".chronicle-chip[data-mark='{{students}}']")
    expect(chip).to_have_text("3")
    expect(chip).to_have_attribute("contenteditable", "false")
    # Its title says what it counts, in the page's language.
    with translation.override("zh-hans"):
        students = FIGURES["students"]
        expect(chip).to_have_attribute("title", f"{students.label}：{students.definition}")

    box.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("疫情期间，")
    page.locator("#chronicle-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{chronicle.get_absolute_url()}")

    text = chronicle.sections.get(topic=ChronicleSection.Topic.CARE).text
    assert text.startswith("疫情期间，心系师生")
    assert "督促全院{{students}}名学生、{{teachers}}名教师" in text
    # A student joins: the saved prose reads the new count.
    make_person("2021098", "新同学", unit=personas.college, admin_class=personas.class_b)
    page.reload()
    expect(page.get_by_test_id("chronicle-text")).to_contain_text("疫情期间，心系师生")
    expect(page.get_by_test_id("chronicle-text")).to_contain_text("督促全院4名学生")
