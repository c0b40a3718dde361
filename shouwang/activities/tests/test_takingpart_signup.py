"""Signing up alone or as a team, and withdrawing, on a phone: each refusal
says why."""

import datetime as dt

from django.urls import reverse

from shouwang.activities import actions
from shouwang.activities.models import Activity, SignUp, Team
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import make_person

from .takingpart import TakingPartTestCase, png


class SignUpViewTests(TakingPartTestCase):
    def post(self, user, name, activity=None):
        self.login(user)
        return self.client.post(
            reverse(f"activities:{name}", args=[(activity or self.contest).pk]), follow=True
        )

    def test_a_student_signs_up_alone(self):
        page = self.post(self.student_b_user, "signup")
        self.assertContains(page, "You are signed up.")
        self.assertTrue(
            SignUp.objects.filter(activity=self.contest, person=self.student_b).exists()
        )

    def test_a_closed_sign_up_is_refused_with_its_reason(self):
        self.contest.signup_closes_at = clock.now() - dt.timedelta(minutes=1)
        self.contest.save(update_fields=["signup_closes_at"])
        page = self.post(self.student_b_user, "signup")
        self.assertContains(page, "Sign-up has closed.")
        self.assertFalse(SignUp.objects.filter(person=self.student_b).exists())

    def test_a_student_of_another_college_is_refused(self):
        self.create_other_college()
        page = self.post(self.student_c_user, "signup")
        self.assertContains(page, "This activity is for another college.")

    def test_an_activity_for_graduating_students_is_for_the_college_s_own(self):
        self.create_other_college()
        Person.objects.filter(pk__in=[self.student_a.pk, self.student_c.pk]).update(graduating=True)
        graduates = self.make_activity(title="毕业生文化节", audience=Activity.Audience.GRADUATING)
        self.assertContains(
            self.post(self.student_c_user, "signup", graduates),
            "This activity is for another college.",
        )
        self.assertContains(
            self.post(self.student_b_user, "signup", graduates),
            "This activity is for graduating students.",
        )
        self.assertContains(self.post(self.student, "signup", graduates), "You are signed up.")

    def test_staff_do_not_sign_up(self):
        self.login(self.teacher)
        response = self.client.post(reverse("activities:signup", args=[self.contest.pk]))
        self.assertEqual(response.status_code, 403)

    def test_a_student_withdraws_before_sign_up_closes(self):
        page = self.post(self.student, "withdraw")
        self.assertContains(page, "You have withdrawn.")
        self.assertFalse(SignUp.objects.filter(person=self.student_a).exists())

    def test_withdrawing_after_sign_up_closes_is_refused(self):
        self.contest.signup_closes_at = clock.now() - dt.timedelta(minutes=1)
        self.contest.save(update_fields=["signup_closes_at"])
        page = self.post(self.student, "withdraw")
        self.assertContains(page, "Sign-up has closed: you can no longer withdraw.")
        self.assertTrue(SignUp.objects.filter(person=self.student_a).exists())

    def test_withdrawing_once_the_entry_is_in_is_refused(self):
        actions.submit_entry(
            self.contest, self.student_a, "团史", [png()], acting_user=self.student
        )
        page = self.post(self.student, "withdraw")
        self.assertContains(page, "Your entry is in")
        self.assertTrue(SignUp.objects.filter(person=self.student_a).exists())


class TeamTests(TakingPartTestCase):
    def url(self, activity=None):
        return reverse("activities:team_form", args=[(activity or self.contest).pk])

    def test_a_leader_names_the_team_and_its_members_by_number(self):
        self.login(self.student_b_user)
        response = self.client.post(self.url(), {"name": "信管小队", "members": "2021002"})
        self.assertRedirects(response, self.contest.get_absolute_url())
        team = Team.objects.get(activity=self.contest)
        self.assertEqual(team.leader, self.student_b)
        self.assertEqual(
            set(team.members.values_list("person__number", flat=True)), {"2021001", "2021002"}
        )
        self.login(self.volunteer)
        page = self.client.get(self.contest.get_absolute_url())
        self.assertContains(page, "You are signed up in the team 信管小队.")

    def test_an_unknown_number_and_a_member_signed_up_already_are_refused(self):
        self.login(self.student_b_user)
        page = self.client.post(self.url(), {"name": "信管小队", "members": "2099999"})
        self.assertContains(page, "2099999")
        page = self.client.post(self.url(), {"name": "信管小队", "members": "2020001 2021002"})
        self.assertContains(page, "张三 has already signed up.")
        self.assertFalse(Team.objects.exists())

    def test_a_team_no_larger_than_the_activity_allows(self):
        extra = [
            make_person(f"202100{n}", f"同学{n}", unit=self.college, admin_class=self.class_b)
            for n in (5, 6, 7)
        ]
        self.login(self.student_b_user)
        numbers = " ".join(person.number for person in extra)
        page = self.client.post(self.url(), {"name": "大队", "members": numbers})
        self.assertContains(page, "A team has at most 3 members.")

    def test_a_team_leader_withdraws_the_whole_team_a_member_only_themselves(self):
        team = actions.create_team(
            self.contest,
            self.student_b,
            "信管小队",
            [self.volunteer_person],
            acting_user=self.student_b_user,
        )
        self.login(self.volunteer)
        self.client.post(reverse("activities:withdraw", args=[self.contest.pk]))
        self.assertEqual(list(team.members.values_list("person", flat=True)), [self.student_b.pk])
        self.login(self.student_b_user)
        self.client.post(reverse("activities:withdraw", args=[self.contest.pk]))
        self.assertFalse(Team.objects.filter(pk=team.pk).exists())
        self.assertFalse(SignUp.objects.filter(person=self.student_b).exists())

    def test_a_student_signed_up_already_is_sent_back(self):
        self.login(self.student)
        self.assertRedirects(self.client.get(self.url()), self.contest.get_absolute_url())

    def test_an_activity_for_students_alone_has_no_team_page(self):
        alone = self.make_activity(title="照片征集", kind=Activity.Kind.COLLECTION)
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(self.url(alone)).status_code, 404)

    def test_the_form_is_light_enough_for_a_phone(self):
        self.login(self.student_b_user)
        page = self.client.get(self.url())
        self.assertContains(page, 'inputmode="numeric"')
        self.assertContains(page, "btn-lg w-100")
