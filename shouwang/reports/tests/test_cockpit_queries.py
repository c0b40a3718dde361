from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.checkins.tests.base import IncidentTestCase
from shouwang.compliance.models import DailyTally
from shouwang.reports import cockpit

from .cockpit_data import grow, populate


class QueryCountTestCase(IncidentTestCase):
    """The cockpit asks the same number of questions of a college of 20 more
    people as of one of 60 more: every module is counted by grouped statements."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        populate(cls)
        reverse("reports:cockpit")  # the URLs, loaded before the clock is frozen

    def warm(self, call) -> None:
        """Count the day's tallies afresh for the new people, as the job would
        have: the cockpit reads them, it does not count them."""
        DailyTally.objects.all().delete()
        call()

    def counted(self, call) -> int:
        self.warm(call)
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries.captured_queries)

    def test_the_cockpit_asks_as_many_questions_of_a_bigger_college(self):
        build = lambda: cockpit.build(self.leader)  # noqa: E731
        grow(self, 20, "S")
        small = self.counted(build)
        # The incident's tallies' times, and one or two grouped statements per module.
        self.assertLessEqual(small, 16)
        grow(self, 40, "L")
        self.warm(build)
        with self.assertNumQueries(small):
            built = build()
        self.assertEqual(built.figure("volunteers.on_site").value, 61)
        # The 6 of the college, and the 60 new students and 60 new staff:
        # they checked in yesterday, not yet today.
        self.assertEqual(built.figure("checkins.missing").value, 126)

    def test_the_page_asks_as_many_questions_of_a_bigger_college(self):
        self.login(self.leader)
        page = lambda: self.client.get(reverse("reports:cockpit"))  # noqa: E731
        grow(self, 20, "S")
        small = self.counted(page)
        grow(self, 40, "L")
        self.warm(page)
        with self.assertNumQueries(small):
            page()
