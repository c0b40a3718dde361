from shouwang.accounts.models import Role, User
from shouwang.test import BaseTestCase


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # roles are cached per instance


class RolesTestCase(BaseTestCase):
    def test_a_student_is_a_student_and_nothing_more(self):
        self.assertEqual(fresh(self.student).roles, {Role.STUDENT})

    def test_a_counsellor_is_whoever_counsels_a_class(self):
        self.assertEqual(fresh(self.counsellor_a_user).roles, {Role.TEACHER, Role.COUNSELLOR})

    def test_handing_over_the_class_hands_over_the_role(self):
        self.class_a.counsellor = self.counsellor_b
        self.class_a.save(update_fields=["counsellor"])
        self.class_b.counsellor = self.counsellor_b
        self.class_b.save(update_fields=["counsellor"])
        self.assertNotIn(Role.COUNSELLOR, fresh(self.counsellor_a_user).roles)

    def test_leaders_and_volunteers_are_appointed(self):
        self.assertIn(Role.LEADER, fresh(self.leader).roles)
        self.assertEqual(fresh(self.volunteer).roles, {Role.STUDENT, Role.VOLUNTEER})

    def test_a_superuser_is_an_admin(self):
        self.assertIn(Role.ADMIN, fresh(self.admin).roles)
        self.assertTrue(fresh(self.admin).reaches_all)
        self.assertIsNone(fresh(self.admin).reach_unit_ids)
        self.assertFalse(fresh(self.counsellor_a_user).reaches_all)
