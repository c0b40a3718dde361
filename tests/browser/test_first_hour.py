"""The README's first hour, as a college's IT person lives it: an empty
database, the first admin, the registrar's two files (staff without 类别,
students without 单位, dorms written as 3号楼445), everyone's initial password,
an incident, and a student checking in with the password from the sheet."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from shouwang.accounts.models import User
from shouwang.people.models import DormRoom, Person, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Shou-Wang-First-Hour"  # noqa: S105
STAFF = [
    ["信息学院教职工名单"],
    ["工号", "姓名", "单位", "手机"],
    ["T3001", "赵璞", "信息学院", "13800003001"],
    ["T3002", "付琳", "信息学院", "13800003002"],
    ["T3003", "杨主任", "学生工作处", "13800003003"],
]
STUDENTS = [
    ["学号", "姓名", "班级", "辅导员工号", "宿舍"],
    ["2021301", "梁世婕", "图情2101", "T3001", "3号楼445"],
    ["2021302", "王小明", "图情2101", "T3001", "3号楼446"],
    ["2021303", "李小红", "计科2101", "T3002", "B-312"],
]


def xlsx(rows) -> dict:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"name": "名单.xlsx", "mimeType": mime, "buffer": data.getvalue()}


def warnings_of(page) -> str:
    return page.get_by_test_id("warnings").inner_text()


def upload(page, rows):
    page.goto("/roster/import/")
    page.locator("input[name=file]").set_input_files(xlsx(rows))
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_test_id("status")).to_have_text("已校验")


def commit(page):
    page.get_by_role("button", name=re.compile("写入")).click()
    expect(page.get_by_test_id("status")).to_have_text("已写入")


def test_from_an_empty_database_every_student_gets_a_login_and_one_checks_in(
    page, phone, live_server, monkeypatch
):
    # python manage.py createsuperuser: the first admin keeps the password they chose.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    call_command("createsuperuser", "--noinput", "--username", "admin", "--email", "")

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    checklist = page.get_by_test_id("first-hour")
    expect(checklist).to_contain_text("0 个单位")

    # The staff: no 类别 column, and units that do not exist yet.
    upload(page, STAFF)
    warnings = warnings_of(page)
    assert "类别" in warnings
    assert "信息学院" in warnings and "学生工作处" in warnings
    expect(page.get_by_test_id("blocked")).to_be_visible()
    page.locator("select[name=kind]").select_option("teacher")
    page.get_by_role("button", name="应用并重新校验").click()
    expect(page.get_by_test_id("missing-units")).to_contain_text("信息学院")
    page.get_by_role("button", name=re.compile("创建")).click()
    expect(page.get_by_test_id("valid")).to_have_text("3")
    assert "教师" in warnings_of(page)  # the category it will assume is said
    commit(page)
    assert Person.objects.filter(kind=Person.Kind.TEACHER).count() == 3
    college = Unit.objects.get(name="信息学院")

    # The students: no 单位 column, dorms as the registrar writes them.
    upload(page, STUDENTS)
    warnings = warnings_of(page)
    assert "单位" in warnings
    page.locator("select[name=unit]").select_option(label="信息学院")
    page.get_by_role("button", name="应用并重新校验").click()
    expect(page.get_by_test_id("warnings")).to_contain_text("信息学院")
    expect(page.get_by_test_id("valid")).to_have_text("3")
    commit(page)
    students = Person.objects.filter(kind=Person.Kind.STUDENT)
    assert students.count() == 3
    assert set(students.values_list("unit", flat=True)) == {college.pk}
    room = Person.objects.get(number="2021301").dorm_room
    assert (room.building, room.floor, room.number) == ("3号楼", 4, "445")
    assert DormRoom.objects.filter(building="B", number="312").exists()

    # Everyone's initial password, as a sheet and slips.
    page.goto("/passwords/")
    page.locator("input[name=scope][value=all_new]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")
    expect(page.get_by_test_id("issued")).to_have_text("6")
    with page.expect_download() as sheet:
        page.get_by_role("button", name="下载名单（.xlsx）").click()
    rows = list(load_workbook(io.BytesIO(sheet.value.path().read_bytes())).active.values)
    passwords = {row[0]: row[3] for row in rows[1:]}
    assert set(passwords) == set(Person.objects.values_list("number", flat=True))
    for student in students:
        user = User.objects.get(person=student)
        assert user.has_usable_password() and user.must_change_password

    # An incident covering the college: first whom it covers, then open it.
    page.goto("/incidents/new/")
    page.locator("input[name=title]").fill("校园封控")
    page.locator("label", has_text="信息学院").first.click()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("coverage")).to_contain_text("学生 3")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("校园封控")

    page.goto("/")
    for done in ("3 名教职工", "3 名学生", "6 人中 6 人已有登录账号"):
        expect(checklist).to_contain_text(done)

    # A student logs in with the password from the sheet, chooses their own, checks in.
    phone.goto("/accounts/login/")
    phone.locator("input[name=username]").fill("2021301")
    phone.locator("input[name=password]").fill(passwords["2021301"])
    phone.locator("main button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/accounts/password/"))
    phone.locator("input[name=old_password]").fill(passwords["2021301"])
    phone.locator("input[name=new_password1]").fill("Chun-Hua-2022")
    phone.locator("input[name=new_password2]").fill("Chun-Hua-2022")
    phone.locator("main button[type=submit]").click()
    phone.goto("/checkin/")
    phone.get_by_test_id("accept-privacy").click()
    phone.locator("label[for=id_location_0]").click()  # on campus
    phone.locator("label[for=id_health_0]").click()
    phone.locator("label[for=id_contact_with_case_0]").click()
    phone.locator("label[for=id_stayed_in_risk_area_0]").click()
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("receipt")).to_be_visible()
