"""Appointed roles are granted and removed on the roles page only, each change
recorded and audited; the Django admin edits no role's group, and nobody
grants a role to themselves."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from shouwang.accounts.actions import grant_role, revoke_role
from shouwang.accounts.models import Role, RoleGrant, User
from shouwang.core.models import LogEntry
from shouwang.counselling.tests.base import make_referral
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


class RoleGrantTestCase(BaseTestCase):
    worker_person: Person
    worker: User
    second_admin: User
    url = reverse("accounts:role_list")
    grant_url = reverse("accounts:role_grant")
    revoke_url = reverse("accounts:role_revoke")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.worker_person = make_person("S0100", "吴心语", Person.Kind.STAFF, unit=cls.college)
        cls.worker = make_user(cls.worker_person)
        cls.second_admin = make_user(
            make_person("S0002", "郑管理", Person.Kind.STAFF, unit=cls.college),
            is_staff=True,
            is_superuser=True,
        )

    def grant(self, number: str, role: str = "psych_support"):
        return self.client.post(self.grant_url, {"number": number, "role": role})


class GrantTestCase(RoleGrantTestCase):
    def test_an_admin_grants_psych_support_and_it_is_recorded_and_audited(self):
        self.login(self.admin)
        response = self.grant(" S0100 ")
        self.assertRedirects(response, self.url)
        self.assertIn(Role.PSYCH_SUPPORT, fresh(self.worker).roles)
        grant = RoleGrant.objects.get(user=self.worker)
        self.assertEqual((grant.role, grant.granted_by), ("psych_support", self.admin))
        self.assertIsNotNone(grant.granted_at)
        entry = LogEntry.objects.get(kind="accounts.role_granted")
        self.assertEqual((entry.actor, entry.object_pk), (self.admin, str(self.worker.pk)))
        self.assertEqual(entry.additional_data["role"], "psych_support")

    def test_the_support_workers_are_told_who_joined_them_and_who_decided(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.second_admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.grant(self.admin.username)
        told = Message.objects.get(recipient=self.worker_person)
        self.assertIn("周管理 (S0001)", told.body)
        self.assertIn("郑管理 (S0002)", told.body)
        self.assertTrue(Message.objects.filter(recipient=self.admin_person).exists())

    def test_the_support_workers_are_told_of_a_removal(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        grant_role(self.admin, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.second_admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.revoke_url, {"user": self.admin.pk, "role": "psych_support"})
        for person in (self.worker_person, self.admin_person):
            self.assertIn("取消人：郑管理", Message.objects.get(recipient=person).body)

    def test_a_leader_granted_tells_no_support_worker(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.grant("S0002", role="leader")
        self.assertFalse(Message.objects.exists())

    def test_the_page_lists_each_holder_with_since_and_by_whom(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertContains(response, "吴心语")
        self.assertContains(response, "郑管理")
        # The leader, the volunteer and the supervisor of the shared personas
        # joined their groups without the page.
        self.assertContains(response, 'data-testid="unrecorded"', count=3)

    def test_nobody_grants_a_role_to_themselves(self):
        self.login(self.admin)
        response = self.grant(self.admin.username)
        self.assertContains(response, "任何人都不能给自己授予角色")
        self.assertNotIn(Role.PSYCH_SUPPORT, fresh(self.admin).roles)
        self.assertFalse(RoleGrant.objects.exists())

    def test_an_unknown_number_is_a_clear_error(self):
        self.login(self.admin)
        response = self.grant("X9999")
        self.assertContains(response, "没有学号或工号为 X9999 的有效账号")

    def test_granting_a_held_role_says_so(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        response = self.grant("S0100")
        self.assertContains(response, "已经拥有这个角色")
        self.assertEqual(RoleGrant.objects.filter(user=self.worker).count(), 1)

    def test_a_role_that_follows_from_the_data_is_not_granted(self):
        self.login(self.admin)
        response = self.grant("S0100", role="counsellor")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RoleGrant.objects.exists())

    def test_others_may_not_grant(self):
        for user in (self.leader, self.counsellor_a_user, self.student):
            self.login(user)
            self.assertEqual(self.grant("S0100").status_code, 403)
        self.assertNotIn(Role.PSYCH_SUPPORT, fresh(self.worker).roles)


class RevokeTestCase(RoleGrantTestCase):
    def test_removing_records_who_and_when_and_takes_the_role(self):
        grant = grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        response = self.client.post(
            self.revoke_url, {"user": self.worker.pk, "role": "psych_support"}
        )
        self.assertRedirects(response, self.url)
        grant.refresh_from_db()
        self.assertEqual(grant.revoked_by, self.admin)
        self.assertIsNotNone(grant.revoked_at)
        self.assertNotIn(Role.PSYCH_SUPPORT, fresh(self.worker).roles)
        self.assertTrue(LogEntry.objects.filter(kind="accounts.role_removed").exists())
        page = self.client.get(self.url)
        self.assertContains(page, 'data-testid="removed"')

    def test_a_membership_without_a_record_is_removed_and_recorded(self):
        self.login(self.admin)
        self.client.post(self.revoke_url, {"user": self.leader.pk, "role": "leader"})
        self.assertNotIn(Role.LEADER, fresh(self.leader).roles)
        grant = RoleGrant.objects.get(user=self.leader)
        self.assertEqual((grant.granted_at, grant.revoked_by), (None, self.admin))

    def test_removing_a_role_not_held_says_so(self):
        self.login(self.admin)
        response = self.client.post(
            self.revoke_url, {"user": self.worker.pk, "role": "psych_support"}, follow=True
        )
        self.assertContains(response, "没有这个角色")


class DjangoAdminTestCase(RoleGrantTestCase):
    """The attack: an admin adds themselves to 心理支持 in /admin/ and reads a referral."""

    def change_data(self, user: User, **fields) -> dict:
        joined = timezone.localtime(user.date_joined)
        data = {
            "username": user.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on" if user.is_staff else "",
            "is_superuser": "on" if user.is_superuser else "",
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "person": user.person_id or "",
        }
        data.update(fields)
        return {key: value for key, value in data.items() if value != ""}

    def test_an_admin_cannot_join_psych_support_in_the_django_admin(self):
        group, _ = Group.objects.get_or_create(name=Role.PSYCH_SUPPORT.value)
        referral = make_referral(self.student_a, self.counsellor_a_user)
        self.login(self.admin)
        url = reverse("admin:accounts_user_change", args=[self.admin.pk])
        response = self.client.post(url, self.change_data(self.admin, groups=[group.pk]))
        self.assertEqual(response.status_code, 302)  # saved, without the groups
        self.assertFalse(fresh(self.admin).groups.exists())
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertEqual(self.client.get(referral.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("counselling:referral_list")).status_code, 404)

    def test_the_django_admin_does_not_edit_groups(self):
        group, _ = Group.objects.get_or_create(name=Role.PSYCH_SUPPORT.value)
        self.login(self.admin)
        for url in (
            "/admin/auth/group/",
            "/admin/auth/group/add/",
            f"/admin/auth/group/{group.pk}/change/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        response = self.client.post(
            "/admin/auth/group/add/", {"name": "helpers", "permissions": []}
        )
        self.assertEqual(response.status_code, 404)

    def test_a_support_workers_login_is_not_changed_in_the_django_admin(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        password_url = reverse("admin:auth_user_password_change", args=[self.worker.pk])
        response = self.client.post(
            password_url, {"password1": "Takeover-2022", "password2": "Takeover-2022"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(fresh(self.worker).check_password("password"))
        url = reverse("admin:accounts_user_change", args=[self.worker.pk])
        response = self.client.post(url, self.change_data(self.worker, username="S0001x"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(fresh(self.worker).username, "S0100")
        delete_url = reverse("admin:accounts_user_delete", args=[self.worker.pk])
        self.assertEqual(self.client.post(delete_url, {"post": "yes"}).status_code, 403)
        self.assertTrue(User.objects.filter(pk=self.worker.pk).exists())

    def test_a_former_holders_login_is_kept_so_the_record_stays_complete(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        revoke_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        delete_url = reverse("admin:accounts_user_delete", args=[self.worker.pk])
        self.client.post(delete_url, {"post": "yes"})
        self.assertTrue(User.objects.filter(pk=self.worker.pk).exists())
        self.assertEqual(RoleGrant.objects.filter(user=self.worker).count(), 1)

    def test_other_logins_are_still_edited_in_the_django_admin(self):
        self.login(self.admin)
        url = reverse("admin:accounts_user_change", args=[self.student.pk])
        response = self.client.post(url, self.change_data(self.student, email="a@example.edu"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(fresh(self.student).email, "a@example.edu")


class AppPasswordResetTestCase(RoleGrantTestCase):
    """The same attack through the app: a new password for a support worker."""

    def reset(self):
        url = reverse("people:person_reset_password", args=[self.worker_person.pk])
        return self.client.post(url)

    def test_an_admin_cannot_give_a_support_worker_a_new_password(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        page = self.client.get(reverse("people:person_detail", args=[self.worker_person.pk]))
        self.assertFalse(page.context["can_reset_password"])
        self.assertEqual(self.reset().status_code, 403)
        self.assertTrue(fresh(self.worker).check_password("password"))

    def test_once_the_role_is_removed_the_password_may_be_reset(self):
        grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        revoke_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.login(self.admin)
        self.assertEqual(self.reset().status_code, 200)
        self.assertFalse(fresh(self.worker).check_password("password"))


class OutOfStepTestCase(RoleGrantTestCase):
    def test_a_membership_removed_behind_the_pages_back_can_be_granted_again(self):
        first = grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.second_admin)
        self.worker.groups.clear()
        second = grant_role(self.worker, Role.PSYCH_SUPPORT, acting_user=self.admin)
        first.refresh_from_db()
        self.assertIsNotNone(first.revoked_at)
        self.assertIsNone(first.revoked_by)
        self.assertTrue(second.is_active)
        self.assertIn(Role.PSYCH_SUPPORT, fresh(self.worker).roles)
