"""Taking part and the 第二课堂 hours: an entry (alone or the team's), a
session attended for half its length, an award won outside, or signing up
for an activity asking nothing more; each activity's hours once."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from shouwang.activities import actions, queries
from shouwang.activities.models import Activity, ExternalAward, Prize, SignUp, Team
from shouwang.activities.queries import Way
from shouwang.lib import clock
from shouwang.people.models import Person

from .takingpart import TakingPartTestCase, png


class TakingPartTests(TakingPartTestCase):
    def ways(self, activity, person):
        found = queries.taking_part(Activity.objects.filter(pk=activity.pk))
        return found.ways.get((activity.pk, person.pk), set())

    def test_signing_up_for_a_contest_is_not_yet_taking_part_an_entry_is(self):
        self.assertEqual(self.ways(self.contest, self.student_a), set())
        actions.submit_entry(
            self.contest, self.student_a, "团史", [png()], acting_user=self.student
        )
        self.assertEqual(self.ways(self.contest, self.student_a), {Way.ENTRY})

    def test_a_team_s_entry_counts_for_every_member(self):
        actions.create_team(
            self.contest,
            self.student_b,
            "信管小队",
            [self.volunteer_person],
            acting_user=self.student_b_user,
        )
        actions.submit_entry(
            self.contest, self.volunteer_person, "队作", [png()], acting_user=self.volunteer
        )
        self.assertEqual(self.ways(self.contest, self.student_b), {Way.ENTRY})
        self.assertEqual(self.ways(self.contest, self.volunteer_person), {Way.ENTRY})

    def test_a_session_counts_from_half_its_length_and_a_sign_in_without_minutes_counts(self):
        forum = self.make_activity(title="青年先锋论坛", kind=Activity.Kind.FORUM)
        session = self.make_session(forum, minutes=90)
        session.attendance.create(person=self.student_a, minutes=45)
        session.attendance.create(person=self.student_b, minutes=44)
        session.attendance.create(person=self.volunteer_person, minutes=None)
        found = queries.taking_part(Activity.objects.filter(pk=forum.pk))
        self.assertEqual(
            set(found.ways), {(forum.pk, self.student_a.pk), (forum.pk, self.volunteer_person.pk)}
        )

    def test_signing_up_counts_for_a_festival_not_for_a_forum_with_sessions(self):
        festival = self.make_activity(team_size_max=6)
        actions.sign_up(festival, self.student_b, acting_user=self.student_b_user)
        self.assertEqual(self.ways(festival, self.student_b), {Way.SIGNUP})
        forum = self.make_activity(title="论坛", kind=Activity.Kind.FORUM)
        self.make_session(forum)
        actions.sign_up(forum, self.student_b, acting_user=self.student_b_user)
        self.assertEqual(self.ways(forum, self.student_b), set())

    def test_an_award_won_outside_counts(self):
        lanqiao = self.make_activity(
            title="蓝桥杯", kind=Activity.Kind.CONTEST, external=True, entry_kinds=[]
        )
        signup = actions.sign_up(lanqiao, self.student_a, acting_user=self.student)
        actions.record_external_award(
            signup,
            ExternalAward.Level.PROVINCIAL,
            Prize.SECOND,
            clock.today(),
            acting_user=self.organiser,
        )
        self.assertEqual(self.ways(lanqiao, self.student_a), {Way.AWARD, Way.SIGNUP})

    def test_an_activity_gives_its_hours_once_however_many_ways(self):
        forum = self.make_activity(title="论坛", kind=Activity.Kind.FORUM, hours=Decimal("1.5"))
        first, second = self.make_session(forum, days_ago=2), self.make_session(forum)
        first.attendance.create(person=self.student_a, minutes=90)
        second.attendance.create(person=self.student_a, minutes=90)
        actions.submit_entry(
            self.contest, self.student_a, "团史", [png()], acting_user=self.student
        )
        record = queries.record_of(self.student_a)
        self.assertEqual(record.hours, Decimal("3.5"))
        self.assertEqual([line.activity for line in record.lines], [forum, self.contest])

    def test_the_counts_take_the_same_queries_however_many_activities(self):
        self.make_activity(title="宿舍文化节")
        with self.assertNumQueries(6):
            queries.taking_part()
        for n in range(3):
            self.make_activity(title=f"活动{n}")
        with self.assertNumQueries(6):
            queries.taking_part()


class MyRecordTests(TakingPartTestCase):
    url = reverse("activities:my_record")

    def test_a_student_reads_their_hours_how_and_what_does_not_count_yet(self):
        festival = self.make_activity(hours=Decimal("1.0"))
        actions.sign_up(festival, self.student_a, acting_user=self.student)
        self.login(self.student)
        page = self.client.get(self.url)
        self.assertContains(page, 'data-testid="total-hours">1.0<')
        self.assertContains(page, "signed up")
        # The contest waits for the entry.
        self.assertContains(page, "Signed up, not counted yet")
        self.assertContains(page, "counts once an entry is in")
        self.assertContains(page, "What counts as taking part")

    def test_a_teacher_has_an_empty_record(self):
        self.login(self.teacher)
        self.assertContains(self.client.get(self.url), "No activity counts yet.")


class ClassRecordTests(TakingPartTestCase):
    def url(self, admin_class):
        return reverse("activities:class_record", args=[admin_class.pk])

    def test_a_counsellor_reads_their_class_s_hours(self):
        actions.submit_entry(
            self.contest, self.student_a, "团史", [png()], acting_user=self.student
        )
        self.login(self.counsellor_a_user)
        page = self.client.get(self.url(self.class_a))
        rows = {row.student.number: row for row in page.context["rows"]}
        self.assertEqual(rows["2020001"].hours, Decimal("2.0"))
        self.assertEqual(rows["2020001"].activities, [self.contest])
        self.assertContains(page, "1 of 1 students took part; 2.0 hours in all.")

    def test_another_class_s_counsellor_and_the_students_do_not(self):
        for user in (self.counsellor_b_user, self.student, self.teacher):
            self.login(user)
            self.assertEqual(self.client.get(self.url(self.class_a)).status_code, 404)

    def test_a_leader_reads_the_classes_of_their_college_only(self):
        self.create_other_college()
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url(self.class_b)).status_code, 200)
        self.assertEqual(self.client.get(self.url(self.class_c)).status_code, 404)

    def test_the_page_takes_the_same_queries_however_many_students(self):
        festival = self.make_activity()
        actions.sign_up(festival, self.student_a, acting_user=self.student)
        self.login(self.counsellor_a_user)
        self.client.get(self.url(self.class_a))
        with self.assertNumQueries(13):
            self.client.get(self.url(self.class_a))
        for n in range(4):
            student = Person.objects.create(
                number=f"20200{n}9",
                name=f"同学{n}",
                kind=Person.Kind.STUDENT,
                unit=self.college,
                admin_class=self.class_a,
            )
            actions.sign_up(festival, student, acting_user=self.student)
        with self.assertNumQueries(13):
            self.client.get(self.url(self.class_a))


class ExternalAwardTests(TakingPartTestCase):
    lanqiao: Activity
    team: Team
    signup_a: SignUp

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lanqiao = actions.save_activity(
            Activity(
                title="第十三届蓝桥杯",
                kind=Activity.Kind.CONTEST,
                unit=cls.college,
                organiser="学院团委",
                starts_on=clock.today() - dt.timedelta(days=20),
                ends_on=clock.today() + dt.timedelta(days=2),
                external=True,
                team_size_max=3,
            ),
            organisers=[cls.organiser_person],
            acting_user=cls.leader,
        )
        cls.team = actions.create_team(
            cls.lanqiao,
            cls.student_b,
            "算法队",
            [cls.volunteer_person],
            acting_user=cls.student_b_user,
        )

    def url(self, activity=None):
        return reverse("activities:external_award", args=[(activity or self.lanqiao).pk])

    def test_the_runners_record_a_team_member_s_provincial_award(self):
        signup = self.team.members.get(person=self.volunteer_person)
        self.login(self.organiser)
        data = {
            "signup": signup.pk,
            "level": ExternalAward.Level.PROVINCIAL,
            "prize": Prize.FIRST,
            "awarded_on": clock.today().isoformat(),
        }
        self.assertRedirects(self.client.post(self.url(), data), self.lanqiao.get_absolute_url())
        # Again, corrected: one award per level.
        self.client.post(self.url(), {**data, "prize": Prize.SECOND})
        award = ExternalAward.objects.get()
        self.assertEqual(
            (award.signup, award.prize, award.recorded_by), (signup, Prize.SECOND, self.organiser)
        )
        page = self.client.get(self.lanqiao.get_absolute_url())
        self.assertContains(page, "provincial second prize")

    def test_a_date_to_come_and_a_sign_up_of_another_activity_are_refused(self):
        self.login(self.organiser)
        tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
        data = {
            "signup": self.team.members.get(person=self.student_b).pk,
            "level": ExternalAward.Level.PROVINCIAL,
            "prize": Prize.FIRST,
            "awarded_on": tomorrow,
        }
        self.assertContains(
            self.client.post(self.url(), data), "The award&#x27;s date is still to come."
        )
        data.update(awarded_on=clock.today().isoformat(), signup=self.signup_a.pk)
        self.assertContains(self.client.post(self.url(), data), "Select a valid choice.")
        self.assertFalse(ExternalAward.objects.exists())

    def test_only_an_external_contest_takes_awards_and_only_its_runners(self):
        self.login(self.organiser)
        self.assertEqual(self.client.get(self.url(self.contest)).status_code, 404)
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
