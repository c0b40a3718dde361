import datetime as dt

from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.extensions import render_slot
from shouwang.volunteers.models import SignUp, Team
from shouwang.volunteers.tests.helpers import EnglishTestCase, make_shift, make_team


class CheckInOutTestCase(EnglishTestCase):
    def setUp(self):
        super().setUp()
        self.team = make_team(
            "学生党员先锋岗",
            Team.Kind.VANGUARD_POST,
            lead=self.volunteer_person,
            members=[self.student_a],
        )
        self.shift = make_shift(self.team)
        self.signup = SignUp.objects.create(shift=self.shift, person=self.student_a)

    def post(self, name: str):
        return self.client.post(reverse(f"volunteers:{name}", args=[self.signup.pk]))

    def serve(self, minutes: int) -> None:
        self.login(self.volunteer)
        with freeze_time(self.shift.starts_at):
            self.post("signup_check_in")
        with freeze_time(self.shift.starts_at + dt.timedelta(minutes=minutes)):
            self.post("signup_check_out")

    def test_the_lead_checks_a_member_in_and_out_and_hours_are_counted(self):
        self.serve(150)
        self.signup.refresh_from_db()
        self.assertEqual(self.signup.minutes, 150)
        page = self.client.get(self.shift.get_absolute_url())
        self.assertContains(page, "2.5 h")
        team_page = self.client.get(reverse("volunteers:team_detail", args=[self.team.pk]))
        self.assertContains(team_page, "The team has served 2.5 hours.")

    def test_the_member_sees_their_hours(self):
        self.serve(180)
        self.login(self.student)
        self.assertContains(self.client.get(self.shift.get_absolute_url()), "You served 3.0 hours.")
        self.assertContains(
            self.client.get(reverse("volunteers:team_list")), "You have served 3.0 hours."
        )

    def test_checking_in_twice_keeps_the_first_time(self):
        self.login(self.volunteer)
        with freeze_time(self.shift.starts_at):
            self.post("signup_check_in")
        with freeze_time(self.shift.starts_at + dt.timedelta(minutes=30)):
            response = self.post("signup_check_in")
        self.assertContains(self.client.get(response.url), "was already checked in")
        self.signup.refresh_from_db()
        self.assertEqual(self.signup.checked_in_at, self.shift.starts_at)

    def test_nobody_is_checked_out_before_being_checked_in(self):
        self.login(self.volunteer)
        response = self.post("signup_check_out")
        self.assertContains(self.client.get(response.url), "cannot be checked out")
        self.signup.refresh_from_db()
        self.assertIsNone(self.signup.minutes)

    def test_a_member_cannot_check_themselves_in(self):
        self.login(self.student)
        self.assertEqual(self.post("signup_check_in").status_code, 403)

    def test_a_party_members_posts_and_hours_show_on_their_person_page(self):
        self.serve(120)
        self.login(self.leader)
        page = self.client.get(reverse("people:person_detail", args=[self.student_a.pk]))
        self.assertContains(page, 'data-testid="volunteer-record"')
        self.assertContains(page, "学生党员先锋岗")
        self.assertContains(page, "1 shift, 2.0 hours served.")

    def test_the_record_shows_only_to_those_who_reach_the_person(self):
        self.serve(120)
        request = RequestFactory().get("/")
        request.user = self.counsellor_a_user
        self.assertIn("学生党员先锋岗", render_slot("people.person", request, self.student_a))
        request.user = self.counsellor_b_user
        self.assertNotIn("学生党员先锋岗", render_slot("people.person", request, self.student_a))
