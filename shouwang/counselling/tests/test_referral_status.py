from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.counselling import actions
from shouwang.counselling.models import Referral
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import ReferralTestCase, make_referral


class ReferralStatusTestCase(ReferralTestCase):
    def url(self, referral=None) -> str:
        return reverse("counselling:referral_status", args=[(referral or self.referral).pk])

    def test_a_support_worker_takes_a_referral_on(self):
        self.login(self.support)
        response = self.client.post(self.url(), {"action": "take"})
        self.assertRedirects(response, self.referral.get_absolute_url())
        referral = self.refresh()
        self.assertEqual(referral.status, Referral.Status.IN_SUPPORT)
        self.assertEqual(referral.supporter, self.support)

    def test_the_second_worker_to_take_it_is_told(self):
        other = make_user(make_person("S0101", "郑老师", Person.Kind.STAFF))
        other.grant(Role.PSYCH_SUPPORT)
        actions.take(self.referral, acting_user=self.support)
        self.login(other)
        response = self.client.post(self.url(), {"action": "take"}, follow=True)
        self.assertContains(response, "Another support worker took this referral on first.")
        self.assertEqual(self.refresh().supporter, self.support)

    def test_nobody_takes_it_on_before_the_students_consent(self):
        pending = make_referral(self.student_b, self.counsellor_b_user, consent=False)
        self.login(self.support)
        response = self.client.post(self.url(pending), {"action": "take"}, follow=True)
        self.assertContains(response, "Record the student&#x27;s consent first.")
        pending.refresh_from_db()
        self.assertEqual(pending.status, Referral.Status.OPEN)

    def test_a_counsellor_does_not_take_referrals_on(self):
        self.login(self.counsellor_a_user)
        self.client.post(self.url(), {"action": "take"})
        self.assertEqual(self.refresh().status, Referral.Status.OPEN)

    def test_the_counsellor_closes_their_referral(self):
        self.login(self.counsellor_a_user)
        self.client.post(self.url(), {"action": "close"})
        referral = self.refresh()
        self.assertEqual(referral.status, Referral.Status.CLOSED)
        self.assertIsNotNone(referral.closed_at)
        response = self.client.post(self.url(), {"action": "close"}, follow=True)
        self.assertContains(response, "This referral is closed")

    def test_a_closed_referral_lets_the_counsellor_refer_again(self):
        actions.close(self.referral, acting_user=self.counsellor_a_user)
        again = make_referral(self.student_a, self.counsellor_a_user, consent=False)
        self.assertEqual(again.status, Referral.Status.OPEN)

    def test_an_unknown_action_changes_nothing(self):
        self.login(self.support)
        response = self.client.post(self.url(), {"action": "delete"}, follow=True)
        self.assertContains(response, "Choose what to do.")
        self.assertEqual(self.refresh().status, Referral.Status.OPEN)
