"""A judge opens the entries assigned to them, scores one against the
contest's criteria, saves, and sees it scored."""

import pytest
from playwright.sync_api import expect

from shouwang.activities import judging
from shouwang.activities.tests.base import make_activity
from shouwang.activities.tests.base_judging import make_entries
from shouwang.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, number, live_server):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(number)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_judge_scores_an_entry_assigned_to_them(personas, phone, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_activity(personas)
    make_entries(personas)
    contest = personas.contest
    criteria = judging.set_criteria(
        contest, judging.default_criteria(), acting_user=personas.leader
    )
    judging.assign_all(contest, acting_user=personas.leader)

    page = phone
    log_in(page, "T1020", live_server)
    page.goto("/activities/judging/")
    to_score = page.get_by_test_id("to-score")
    expect(to_score.get_by_test_id("assignment")).to_have_count(4)
    to_score.get_by_role("link", name="青春向党").click()
    expect(page.get_by_test_id("entry-title")).to_have_text("青春向党")
    expect(page.get_by_test_id("entry")).to_contain_text("信管小队合作完成。")
    expect(page.get_by_test_id("entry").locator("img")).to_have_count(1)

    form = page.get_by_test_id("sheet-form")
    for criterion, points in zip(criteria, ["27", "24.5", "20", "12"], strict=True):
        form.locator(f"input[name=criterion_{criterion.pk}]").fill(points)
    form.locator("textarea[name=comment]").fill("主题鲜明，构图完整。")
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("sheet-score")).to_have_text("83.50")

    page.goto("/activities/judging/")
    scored = page.get_by_test_id("scored")
    expect(scored.get_by_role("link", name="青春向党")).to_be_visible()
    expect(page.get_by_test_id("to-score").get_by_test_id("assignment")).to_have_count(3)
