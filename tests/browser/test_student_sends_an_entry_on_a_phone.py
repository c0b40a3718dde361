import datetime as dt
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from shouwang.activities import actions
from shouwang.activities.models import Activity, Entry
from shouwang.lib import clock
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_student_signs_up_and_sends_a_photo_on_a_phone(personas, phone, tmp_path):
    today = clock.today()
    contest = actions.save_activity(
        Activity(
            title="“青春之名，百年之约”照片征集",
            kind=Activity.Kind.COLLECTION,
            unit=personas.college,
            organiser="学院团委",
            starts_on=today,
            ends_on=today + dt.timedelta(days=10),
            entries_close_at=clock.now() + dt.timedelta(days=5),
            entry_kinds=[Activity.EntryKind.IMAGE],
        ),
        acting_user=personas.leader,
    )
    photo = tmp_path / "窗外的春天.png"
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (56, 142, 60)).save(out, "PNG")
    photo.write_bytes(out.getvalue())

    log_in(phone, "2020001")
    phone.goto("/activities/")
    phone.get_by_test_id("open-now").get_by_text("照片征集").tap()
    phone.get_by_test_id("signup").tap()
    expect(phone.get_by_test_id("signed-up")).to_be_visible()
    phone.get_by_test_id("submit-entry").tap()
    phone.locator("input[name=title]").fill("窗外的春天")
    phone.locator("input[name=attachments]").set_input_files(str(photo))
    phone.get_by_test_id("save").tap()
    expect(phone.get_by_test_id("files")).to_contain_text("窗外的春天")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    entry = Entry.objects.get(activity=contest, person=personas.student_a)
    assert entry.files.get().name == "窗外的春天.jpg"
