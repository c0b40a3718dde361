import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from shouwang.test import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_issues_initial_passwords_and_a_student_logs_in_with_one(
    personas, page, phone, live_server
):
    make_person("2020101", "陈一", admin_class=personas.class_a)

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("T1001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.locator("#menu summary", has_text="管理").click()
    page.locator("#menu a[href='/passwords/']").click()
    page.locator("select[name=admin_class]").select_option(label="计科2001")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")
    expect(page.get_by_test_id("issued")).to_have_text("1")
    expect(page.get_by_test_id("kept")).to_have_text("1")  # 张三 keeps their own

    with page.expect_download() as slips:
        page.get_by_role("button", name="下载密码条用于打印（.pdf）").click()
    assert slips.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as sheet:
        page.get_by_role("button", name="下载名单（.xlsx）").click()
    rows = list(
        load_workbook(io.BytesIO(sheet.value.path().read_bytes())).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][:3] == ("2020101", "陈一", "计科2001")
    password = rows[1][3]
    page.reload()
    expect(page.locator("main")).to_contain_text("文件已被下载或已过期")

    phone.goto("/accounts/login/")
    phone.locator("input[name=username]").fill("2020101")
    phone.locator("input[name=password]").fill(password)
    phone.locator("main button[type=submit]").click()
    expect(phone).to_have_url(f"{live_server.url}/accounts/password/?next=/")
    phone.locator("input[name=old_password]").fill(password)
    phone.locator("input[name=new_password1]").fill("Chun-Hua-2022")
    phone.locator("input[name=new_password2]").fill("Chun-Hua-2022")
    phone.locator("main button[type=submit]").click()
    expect(phone).to_have_url(f"{live_server.url}/")
