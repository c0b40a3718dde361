"""The counts: participations (人次: one graduate in one employer's room at
one fair) and participants (人: distinct graduates), per fair and in total,
computed from the participations and defined on the page."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.models import FairEmployer, JobFair, Participation
from shouwang.careers.queries import fair_figures, totals

from .base_fairs import DAY, FairsTestCase, make_fair

A = Participation.Source.ATTENDANCE
CODE = Participation.Source.ROOM_CODE


class CountsTests(FairsTestCase):
    second: JobFair
    second_room: FairEmployer

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second = make_fair(
            cls, "2024届毕业生网络双选会（第二场）", DAY + dt.timedelta(days=2), 14, 17
        )
        cls.second_room = actions.save_room(
            cls.second, cls.employer, positions=[cls.position], acting_user=cls.office
        )
        zhang, wang = cls.student_a.pk, cls.graduate_b_person.pk
        # 张三 visits both rooms of the first fair and the room of the second;
        # 王六 one room of the first.
        actions.record_participations(cls.room_a, {zhang: 30, wang: 45}, A)
        actions.record_participations(cls.room_b, {zhang: None}, CODE)
        actions.record_participations(cls.second_room, {zhang: 20}, A)

    def test_a_graduate_in_two_rooms_makes_two_participations_but_one_participant(self):
        rows = {row.fair: row for row in fair_figures(JobFair.objects.all())}
        first, second = rows[self.fair], rows[self.second]
        self.assertEqual((first.participations, first.participants, first.rooms), (3, 2, 2))
        self.assertEqual((second.participations, second.participants, second.rooms), (1, 1, 1))

    def test_in_total_a_graduate_at_two_fairs_is_one_participant(self):
        self.assertEqual(totals(JobFair.objects.all()), (4, 2))

    def test_seeing_a_graduate_again_in_the_same_room_changes_nothing(self):
        actions.record_participations(self.room_a, {self.student_a.pk: 90}, CODE)
        self.assertEqual(totals(JobFair.objects.all()), (4, 2))

    def test_the_page_defines_both_figures_and_gives_them_per_fair_and_in_total(self):
        self.login(self.student)
        page = self.client.get(reverse("careers:fair_counts"))
        self.assertContains(page, "One graduate in one employer's video room at one fair")
        self.assertContains(page, "The distinct graduates among the participations")
        self.assertContains(
            page, '<div class="stat" data-testid="total-participations">4</div>', html=True
        )
        self.assertContains(
            page, '<div class="stat" data-testid="total-participants">2</div>', html=True
        )
        self.assertEqual(
            [(row.fair.title, row.participations) for row in page.context["rows"]],
            [(self.fair.title, 3), (self.second.title, 1)],
        )

    def test_the_page_asks_as_many_queries_for_many_fairs_as_for_few(self):
        self.login(self.office)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(reverse("careers:fair_counts")).status_code, 200)
            return len(captured)

        few = queries()
        for day in range(5):
            fair = make_fair(self, f"补充场次{day}", DAY + dt.timedelta(days=10 + day))
            room = actions.save_room(fair, self.employer_b, acting_user=self.office)
            actions.record_participations(room, {self.student_a.pk: 10}, A)
        self.assertEqual(queries(), few)

    def test_the_figures_take_three_queries(self):
        fairs = JobFair.objects.all()
        with self.assertNumQueries(3):
            fair_figures(fairs)
            totals(fairs)
