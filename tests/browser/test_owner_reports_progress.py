"""A measure's owner finds it among their measures, writes the month's
progress report with a file, and sees the score a leader gave it."""

import pytest
from playwright.sync_api import expect

from shouwang.test import PASSWORD
from shouwang.workplan import actions
from shouwang.workplan.models import Area, KeyPoint, Report
from shouwang.workplan.tests.base import make_measure, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_an_owner_writes_a_progress_report_and_reads_the_leaders_score(
    personas, page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(personas)
    area = actions.save_area(Area(plan=plan, title="本科教育"), acting_user=personas.leader)
    key_point = actions.save_key_point(
        KeyPoint(area=area, title="加强专业内涵建设"), acting_user=personas.leader
    )
    measure = make_measure(personas, key_point, "推进国家一流专业建设")
    report = measure.reports.order_by("due_on").first()
    evidence = tmp_path / "论证会纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    log_in(page, "T1010", live_server)
    page.goto("/workplan/mine/")
    page.get_by_test_id("my-measures").get_by_role("link", name="推进国家一流专业建设").click()
    expect(page.get_by_test_id("measure-title")).to_contain_text("1. 推进国家一流专业建设")
    page.goto(report.get_absolute_url())
    form = page.get_by_test_id("report-form")
    form.locator("textarea[name=text]").fill("完成专业建设方案校内论证。")
    form.locator("input[type=file]").set_input_files(evidence)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("report-text")).to_have_text("完成专业建设方案校内论证。")
    expect(page.get_by_test_id("report-files")).to_contain_text("论证会纪要.pdf")

    leader = page.context.browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    leader.set_default_timeout(5_000)
    log_in(leader, "T0001", live_server)
    leader.goto(report.get_absolute_url())
    score = leader.get_by_test_id("score-form")
    score.get_by_label("4").check()
    score.locator("textarea[name=comment]").fill("进展顺利，请按期提交申报书。")
    score.locator("button[type=submit]").click()
    expect(leader.get_by_test_id("score-value")).to_have_text("4 / 5")
    leader.context.close()

    page.reload()
    expect(page.get_by_test_id("score-value")).to_have_text("4 / 5")
    expect(page.get_by_test_id("score-comment")).to_have_text("进展顺利，请按期提交申报书。")
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    assert Report.objects.get(pk=report.pk).files.count() == 1
