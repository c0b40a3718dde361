"""Participation counts, per activity, per class and per political status,
computed from the records and scoped to the activities the reader runs."""

from decimal import Decimal

from django.urls import reverse

from shouwang.activities import actions
from shouwang.activities.models import Activity
from shouwang.people.models import Person

from .takingpart import TakingPartTestCase, png


class CountsTests(TakingPartTestCase):
    festival: Activity
    url = reverse("activities:counts")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 张三 (class A, League member) sent an entry; 李四 and 王五 (class B,
        # masses and party member) a team's; a festival of 王五's alone.
        Person.objects.filter(pk=cls.student_a.pk).update(
            political_status=Person.PoliticalStatus.LEAGUE_MEMBER
        )
        actions.submit_entry(cls.contest, cls.student_a, "团史", [png()], acting_user=cls.student)
        actions.create_team(
            cls.contest,
            cls.student_b,
            "信管小队",
            [cls.volunteer_person],
            acting_user=cls.student_b_user,
        )
        actions.submit_entry(
            cls.contest, cls.student_b, "队作", [png()], acting_user=cls.student_b_user
        )
        cls.festival = actions.save_activity(
            Activity(
                title="线上宿舍文化节",
                kind=Activity.Kind.FESTIVAL,
                unit=cls.college,
                organiser="学院团委",
                starts_on=cls.contest.starts_on,
                ends_on=cls.contest.ends_on,
                hours=Decimal("1.0"),
                team_size_max=6,
            ),
            acting_user=cls.leader,
        )
        actions.sign_up(cls.festival, cls.volunteer_person, acting_user=cls.volunteer)

    def counts(self, user):
        self.login(user)
        return self.client.get(self.url).context["counts"]

    def rows(self, rows):
        return {
            row.label: (row.signed_up, row.took_part, row.participations, row.hours) for row in rows
        }

    def test_a_leader_counts_every_activity_of_the_college(self):
        counts = self.counts(self.leader)
        per_activity = {line.activity.title: line.takers for line in counts.activities}
        self.assertEqual(per_activity, {self.contest.title: 3, "线上宿舍文化节": 1})
        contest = next(line.activity for line in counts.activities if line.activity == self.contest)
        self.assertEqual((contest.signup_count, contest.team_count, contest.entry_count), (3, 1, 2))
        self.assertEqual(
            self.rows(counts.by_class),
            {"计科2001": (1, 1, 1, Decimal("2.0")), "信管2101": (2, 2, 3, Decimal("5.0"))},
        )
        self.assertEqual(
            self.rows(counts.by_status),
            {
                "CPC member": (1, 1, 2, Decimal("3.0")),
                "CYL member": (1, 1, 1, Decimal("2.0")),
                "general public": (1, 1, 1, Decimal("2.0")),
            },
        )
        total = counts.total
        self.assertEqual((total.signed_up, total.took_part, total.participations), (3, 3, 4))

    def test_an_organiser_counts_their_own_activities_only(self):
        counts = self.counts(self.organiser)
        self.assertEqual([line.activity for line in counts.activities], [self.contest])
        self.assertEqual(counts.total.participations, 3)

    def test_someone_who_runs_nothing_may_not(self):
        for user in (self.teacher, self.counsellor_a_user, self.student):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_leader_of_another_college_counts_nothing_of_this_one(self):
        self.create_other_college()
        self.assertEqual(self.counts(self.leader_b).activities, [])

    def test_the_page_names_its_definitions(self):
        self.login(self.leader)
        page = self.client.get(self.url, {"kind": Activity.Kind.FESTIVAL})
        self.assertContains(page, "participations (人次)")
        self.assertContains(page, "What counts as taking part")
        self.assertEqual(len(page.context["counts"].activities), 1)

    def test_the_page_takes_the_same_queries_however_many_activities(self):
        self.login(self.leader)
        self.client.get(self.url)
        with self.assertNumQueries(15):
            self.client.get(self.url)
        for n in range(3):
            self.make_activity(title=f"活动{n}")
        with self.assertNumQueries(15):
            self.client.get(self.url)
