"""The home page tells an owner of the progress reports to write, and a
leader how many wait for a score."""

import datetime as dt

from django.urls import reverse
from freezegun import freeze_time

from shouwang.workplan import actions

from .base import PlanTestCase


class HomeReportsTests(PlanTestCase):
    def home(self, user):
        """The home page on 4月20日 (the URLs loaded before the clock is frozen)."""
        url = reverse("home:home")
        self.login(user)
        with freeze_time("2022-04-20 09:00"):
            return self.client.get(url)

    def test_an_owner_sees_the_reports_to_write_soonest_first(self):
        response = self.home(self.teacher)
        due = [report.due_on for report in response.context["reports_to_write"]]
        # The overdue ones of January to March, then April's, due in five days.
        self.assertEqual(due, [dt.date(2022, month, 25) for month in (1, 2, 3, 4)])
        self.assertContains(response, 'data-testid="report-to-write"', count=4)

    def test_a_written_report_leaves_the_list_and_waits_for_the_leaders_score(self):
        report = self.measure.reports.get(due_on=dt.date(2022, 3, 25))
        actions.submit_report(report, text="已完成论证", acting_user=self.teacher)
        response = self.home(self.teacher)
        self.assertNotIn(report, response.context["reports_to_write"])
        response = self.home(self.leader)
        self.assertEqual(response.context["reports_to_score"], 1)
        self.assertContains(response, 'data-testid="reports-to-score"')

    def test_a_student_is_asked_for_no_report(self):
        response = self.home(self.student)
        self.assertNotContains(response, 'data-testid="progress-reports"')
