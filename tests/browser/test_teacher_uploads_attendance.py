"""A teacher brings in the 腾讯会议 export of a lesson, sees who was found and
the rows nobody was, records it, and says whose one of those rows is."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from shouwang.core.tests.test_attendance_files import TENCENT, xlsx
from shouwang.teaching import actions
from shouwang.teaching.actions import ClassRow, SlotRow
from shouwang.teaching.models import Attendance, Lesson
from shouwang.teaching.tests.base import spring_term
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_teacher_uploads_a_tencent_meeting_export_and_resolves_a_row(
    personas, page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    term = spring_term()
    teacher = personas.teacher_person
    actions.save_teaching_classes(
        term,
        [
            ClassRow(
                code="数据库原理-01",
                course_code="B0101234",
                course_name="数据库原理",
                unit_id=personas.college.pk,
                teacher_ids=[teacher.pk],
                slots=[SlotRow(2, 3, 4, tuple(range(1, 17)), "1-16周", "A-201")],
                planned_hours=32,
            )
        ],
        acting_user=None,
    )
    # 王同学 of the export is 王五, enrolled with the others.
    actions.enrol(
        term,
        [
            ("数据库原理-01", personas.student_a.pk),
            ("数据库原理-01", personas.student_b.pk),
            ("数据库原理-01", personas.volunteer_person.pk),
        ],
        acting_user=None,
    )
    lesson = Lesson.objects.get(date=dt.date(2022, 4, 12))
    export = tmp_path / "参会成员明细.xlsx"
    export.write_bytes(xlsx(TENCENT))

    log_in(page, "T1010", live_server)
    page.goto(f"/teaching/lessons/{lesson.pk}/attendance/upload/")
    page.locator("input[name=file]").set_input_files(export)
    page.locator("main form button[type=submit]").click()

    found = page.get_by_test_id("student-row")
    expect(found).to_have_count(3)
    expect(found.filter(has_text="张三")).to_contain_text("88")
    expect(found.filter(has_text="李四")).to_contain_text("85")
    unmatched = page.get_by_test_id("unmatched-row")
    expect(unmatched).to_have_count(2)
    expect(unmatched.first).to_contain_text("计科2001 王同学")
    expect(unmatched.last).to_contain_text("李明老师")

    page.locator("main form[action$='/commit/'] button").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "committed")
    assert Attendance.objects.get(student=personas.volunteer_person).status == "absent"

    row = unmatched.filter(has_text="王同学")
    row.locator("select[name=student]").select_option(label="王五 2021002")
    row.locator("button[type=submit]").click()
    expect(page.get_by_test_id("unmatched-row")).to_have_count(1)
    expect(page.get_by_test_id("unmatched-row")).to_contain_text("李明老师")
    attended = Attendance.objects.get(student=personas.volunteer_person)
    assert (attended.status, attended.minutes) == ("present", 65)
