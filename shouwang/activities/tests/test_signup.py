"""Signing up for an activity, alone or as a team."""

from django.core.exceptions import ValidationError
from django.utils import translation

from shouwang.activities import actions
from shouwang.activities.models import Activity, SignUp

from .base import ActivitiesTestCase


class SignUpTests(ActivitiesTestCase):
    def test_signing_up_twice_is_once(self):
        actions.sign_up(self.contest, self.student_a, acting_user=self.student)
        self.assertEqual(SignUp.objects.filter(activity=self.contest).count(), 1)

    def test_a_team_signs_up_its_members_with_their_leader(self):
        team = actions.create_team(
            self.contest,
            self.student_b,
            "信管小队",
            [self.volunteer_person],
            acting_user=self.student_b_user,
        )
        self.assertEqual(set(team.members.values_list("person__name", flat=True)), {"李四", "王五"})

    def test_a_member_already_signed_up_cannot_join_a_team(self):
        with self.assertRaisesMessage(ValidationError, "张三"):
            actions.create_team(
                self.contest,
                self.student_b,
                "信管小队",
                [self.student_a],
                acting_user=self.student_b_user,
            )
        self.assertFalse(SignUp.objects.filter(person=self.student_b).exists())

    def test_an_activity_for_some_classes_refuses_the_others(self):
        self.contest.audience = Activity.Audience.CLASSES
        actions.save_activity(self.contest, classes=[self.class_a], acting_user=self.leader)
        with (
            translation.override("en"),
            self.assertRaisesMessage(ValidationError, "not open to your class"),
        ):
            actions.sign_up(self.contest, self.student_b, acting_user=self.student_b_user)
        self.assertFalse(SignUp.objects.filter(person=self.student_b).exists())
