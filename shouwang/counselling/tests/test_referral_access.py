"""The support workers see who can see referrals, since when and granted by
whom; an admin who joins them, by the roles page or behind its back, shows."""

from django.contrib.auth.models import Group
from django.urls import reverse

from shouwang.accounts.actions import grant_role, revoke_role
from shouwang.accounts.models import Role, RoleGrant, User
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import ReferralTestCase


class ReferralAccessTestCase(ReferralTestCase):
    url = reverse("counselling:referral_access")
    second_admin: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The support worker of the base case joined before records began.
        RoleGrant.objects.create(user=cls.support, role=Role.PSYCH_SUPPORT.value)
        cls.second_admin = make_user(
            make_person("S0002", "郑管理", Person.Kind.STAFF, unit=cls.college),
            is_staff=True,
            is_superuser=True,
        )

    def test_a_support_worker_sees_who_can_see_referrals_since_when_and_by_whom(self):
        grant_role(self.admin, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.support)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        holders = [holder.user for holder in response.context["sections"][0]["holders"]]
        self.assertEqual(holders, [self.admin, self.support])  # by number
        self.assertContains(response, "周管理")
        self.assertContains(response, "郑管理")
        self.assertContains(response, "before records began")

    def test_a_removal_stays_listed_with_who_removed_it(self):
        grant_role(self.admin, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        revoke_role(self.admin, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.support)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="removed"')
        self.assertContains(response, "周管理")

    def test_a_member_who_joined_behind_the_pages_back_is_flagged(self):
        self.admin.groups.add(Group.objects.get(name=Role.PSYCH_SUPPORT.value))
        self.login(self.support)
        response = self.client.get(self.url)
        self.assertContains(response, "周管理")
        self.assertContains(response, 'data-testid="unrecorded"')

    def test_the_referral_list_links_to_it_for_support_workers_only(self):
        self.login(self.support)
        self.assertContains(self.client.get(reverse("counselling:referral_list")), self.url)
        self.login(self.counsellor_a_user)
        self.assertNotContains(self.client.get(reverse("counselling:referral_list")), self.url)

    def test_nobody_else_finds_it(self):
        for user in (self.counsellor_a_user, self.admin, self.leader, self.student):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user.username)


class GrantedThroughTheRolesPageTestCase(ReferralTestCase):
    """The attack end to end: the grant goes through the page and shows."""

    def test_an_admin_granted_by_another_reads_referrals_and_the_workers_see_it(self):
        second_admin = make_user(
            make_person("S0002", "郑管理", Person.Kind.STAFF, unit=self.college),
            is_staff=True,
            is_superuser=True,
        )
        self.login(self.admin)
        response = self.client.post(
            reverse("accounts:role_grant"), {"number": "S0001", "role": "psych_support"}
        )
        self.assertEqual(response.status_code, 200)  # refused: not to themselves
        self.assertEqual(self.client.get(self.referral.get_absolute_url()).status_code, 404)
        self.login(second_admin)
        self.client.post(
            reverse("accounts:role_grant"), {"number": "S0001", "role": "psych_support"}
        )
        self.login(self.admin)
        self.assertEqual(self.client.get(self.referral.get_absolute_url()).status_code, 200)
        self.login(self.support)
        response = self.client.get(reverse("counselling:referral_access"))
        self.assertContains(response, "周管理")
        self.assertContains(response, "郑管理")
