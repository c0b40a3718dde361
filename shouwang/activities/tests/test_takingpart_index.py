"""The activities list: open now, upcoming and finished, each with its
counts; a student's own sign-ups, hours and what they may still join; what
an organiser runs; the menu entry."""

import datetime as dt

from django.urls import reverse

from shouwang.activities import actions
from shouwang.activities.models import Activity
from shouwang.lib import clock

from .takingpart import TakingPartTestCase, png


class IndexTests(TakingPartTestCase):
    finished: Activity
    upcoming: Activity
    url = reverse("activities:index")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = clock.today()
        cls.finished = actions.save_activity(
            Activity(
                title="“团史百年，青春妙绘”手抄报大赛（上届）",
                kind=Activity.Kind.CONTEST,
                unit=cls.college,
                organiser="学院团委",
                starts_on=today - dt.timedelta(days=30),
                ends_on=today - dt.timedelta(days=10),
            ),
            acting_user=cls.leader,
        )
        cls.upcoming = actions.save_activity(
            Activity(
                title="“心灵手巧，变废为宝”夏装设计大赛",
                kind=Activity.Kind.CONTEST,
                unit=cls.college,
                organiser="学院团委",
                starts_on=today + dt.timedelta(days=5),
                ends_on=today + dt.timedelta(days=25),
            ),
            acting_user=cls.leader,
        )

    def test_it_lists_activities_open_upcoming_and_finished_with_their_counts(self):
        actions.submit_entry(
            self.contest, self.student_a, "团史手抄报", [png()], acting_user=self.student
        )
        self.login(self.teacher)
        page = self.client.get(self.url)
        open_now = page.context["open_now"]
        self.assertEqual([a.pk for a in open_now], [self.contest.pk])
        self.assertEqual((open_now[0].signup_count, open_now[0].entry_count), (1, 1))
        self.assertEqual([a.pk for a in page.context["upcoming"]], [self.upcoming.pk])
        self.assertEqual([a.pk for a in page.context["finished"]], [self.finished.pk])
        self.assertContains(page, "1 signed up · 1 entries")

    def test_the_list_filters_by_kind(self):
        self.login(self.teacher)
        page = self.client.get(self.url, {"kind": Activity.Kind.FORUM})
        self.assertEqual(page.context["open_now"], [])
        page = self.client.get(self.url, {"kind": "nonsense"})
        self.assertEqual(len(page.context["open_now"]), 1)

    def test_a_student_sees_what_they_joined_and_what_they_may_join(self):
        self.login(self.student_b_user)
        page = self.client.get(self.url)
        # Open now or upcoming: one signs up before it starts, not once it is over.
        self.assertEqual(page.context["joinable"], {self.contest.pk, self.upcoming.pk})
        self.assertContains(page, "open to you")
        self.assertEqual(page.context["mine"], [])

        self.login(self.student)
        page = self.client.get(self.url)
        self.assertEqual(page.context["joinable"], {self.upcoming.pk})
        self.assertEqual([s.activity for s in page.context["mine"]], [self.contest])

    def test_a_student_sees_their_hours(self):
        actions.submit_entry(
            self.contest, self.student_a, "团史手抄报", [png()], acting_user=self.student
        )
        self.login(self.student)
        page = self.client.get(self.url)
        self.assertContains(page, "2.0 second-classroom hours")

    def test_an_organiser_sees_what_they_run_and_the_counts_link(self):
        self.login(self.organiser)
        page = self.client.get(self.url)
        self.assertEqual(page.context["run"], [self.contest])
        self.assertContains(page, reverse("activities:counts"))
        self.assertNotContains(page, reverse("activities:activity_form"))

    def test_a_leader_may_open_an_activity_and_a_counsellor_reads_their_classes_records(self):
        self.login(self.leader)
        self.assertContains(self.client.get(self.url), reverse("activities:activity_form"))
        self.login(self.counsellor_a_user)
        page = self.client.get(self.url)
        self.assertEqual(page.context["classes"], [self.class_a])
        self.assertContains(page, reverse("activities:class_record", args=[self.class_a.pk]))
        self.assertNotContains(page, reverse("activities:counts"))

    def test_the_list_takes_the_same_queries_however_many_activities(self):
        self.login(self.student)
        self.client.get(self.url)  # the session and the user, read once
        with self.assertNumQueries(14):
            self.client.get(self.url)
        for day in range(5):
            self.make_activity(title=f"活动{day}")
        with self.assertNumQueries(14):
            self.client.get(self.url)

    def test_the_menu_offers_it_to_everyone_on_the_roster(self):
        for user in (self.student, self.teacher, self.leader):
            self.login(user)
            self.assertContains(self.client.get(reverse("home:home")), f'href="{self.url}"')
