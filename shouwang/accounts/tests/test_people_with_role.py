from shouwang.accounts.actions import grant_role, revoke_role
from shouwang.accounts.models import Role, User, people_with_role
from shouwang.people.models import Person
from shouwang.test import BaseTestCase


class PeopleWithRoleTestCase(BaseTestCase):
    def numbers(self, role: Role) -> list[str]:
        return list(people_with_role(role).order_by("number").values_list("number", flat=True))

    def test_it_lists_the_holders_of_a_granted_role(self):
        self.assertEqual(self.numbers(Role.LEADER), ["T0001"])

    def test_it_agrees_with_each_users_roles(self):
        for role in Role:
            with self.subTest(role=role):
                holders = [
                    user.username
                    for user in User.objects.order_by("username")
                    if role in user.roles
                ]
                self.assertEqual(self.numbers(role), holders)

    def test_a_switched_off_login_holds_no_role(self):
        self.leader.is_active = False
        self.leader.save(update_fields=["is_active"])
        self.assertEqual(self.numbers(Role.LEADER), [])

    def test_someone_who_has_left_holds_no_role(self):
        Person.objects.filter(pk=self.leader_person.pk).update(status=Person.Status.AWAY)
        self.assertEqual(self.numbers(Role.LEADER), [])

    def test_a_removed_role_is_no_longer_held(self):
        grant_role(self.counsellor_a_user, Role.LEADER, acting_user=self.admin)
        self.assertEqual(self.numbers(Role.LEADER), ["T0001", "T1001"])
        revoke_role(self.counsellor_a_user, Role.LEADER, acting_user=self.admin)
        self.assertEqual(self.numbers(Role.LEADER), ["T0001"])

    def test_a_superuser_is_an_admin(self):
        self.assertEqual(self.numbers(Role.ADMIN), ["S0001"])
