import datetime as dt

from django.urls import reverse
from freezegun import freeze_time

from shouwang.helpdesk import actions
from shouwang.test import BaseTestCase

from .helpers import make_request

START = dt.datetime(2022, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
OVERVIEW = reverse("helpdesk:overview")


class OverviewTests(BaseTestCase):
    def make_solved(self, user, hours: int):
        with freeze_time(START):
            help_request = make_request(user)
        with freeze_time(START + dt.timedelta(hours=1)):
            actions.claim(help_request, acting_user=self.counsellor_a_user)
        with freeze_time(START + dt.timedelta(hours=hours)):
            actions.change_status(help_request, "resolved", "已解决", acting_user=self.leader)
            actions.confirm(help_request, acting_user=user)

    def test_it_counts_open_overdue_and_confirmed(self):
        self.make_solved(self.student, 4)
        self.make_solved(self.student, 8)
        with freeze_time(START):
            make_request(self.student_b_user, category="health", urgency="urgent")
        self.login(self.leader)
        with freeze_time(START + dt.timedelta(hours=3)):
            response = self.client.get(OVERVIEW)
        figures = response.context["o"]
        self.assertEqual(figures.totals["open"], 1)
        self.assertEqual(figures.totals["overdue"], 1)
        self.assertEqual(figures.totals["confirmed"], 2)
        self.assertEqual(figures.median_response_hours, 1.0)
        self.assertEqual(figures.median_resolution_hours, 6.0)

    def test_a_counsellor_sees_only_their_classes(self):
        make_request(self.student)
        make_request(self.student_b_user)
        self.login(self.counsellor_b_user)
        response = self.client.get(OVERVIEW)
        self.assertEqual(response.context["o"].totals["total"], 1)

    def test_its_queries_do_not_grow_with_rows(self):
        self.login(self.leader)
        make_request(self.student)
        self.client.get(OVERVIEW)
        # The unit tree, read once for the leader's reach, is one of them.
        with self.assertNumQueries(11) as first:
            self.client.get(OVERVIEW)
        for _ in range(5):
            make_request(self.student_b_user, category="finance")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(OVERVIEW)
