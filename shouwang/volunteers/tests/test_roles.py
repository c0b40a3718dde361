from shouwang.accounts.models import VOLUNTEER_TEAM_KINDS, Role, User
from shouwang.test import BaseTestCase
from shouwang.volunteers.models import VOLUNTEER_KINDS, Team
from shouwang.volunteers.tests.helpers import make_team


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


class VolunteerRoleTestCase(BaseTestCase):
    def test_joining_a_brigade_makes_a_volunteer(self):
        self.assertNotIn(Role.VOLUNTEER, fresh(self.student).roles)
        make_team("红烛志愿服务队", members=[self.student_a])
        self.assertEqual(fresh(self.student).roles, {Role.STUDENT, Role.VOLUNTEER})

    def test_a_staff_duty_team_does_not(self):
        make_team("教职工值班组", Team.Kind.STAFF_DUTY, lead=self.counsellor_a)
        self.assertNotIn(Role.VOLUNTEER, fresh(self.counsellor_a_user).roles)

    def test_the_granted_role_still_works_without_a_team(self):
        self.assertIn(Role.VOLUNTEER, fresh(self.volunteer).roles)

    def test_roles_take_one_query(self):
        make_team("红烛志愿服务队", members=[self.counsellor_a])
        user = User.objects.select_related("person").get(pk=self.counsellor_a_user.pk)
        with self.assertNumQueries(1):
            self.assertEqual(user.roles, {Role.TEACHER, Role.COUNSELLOR, Role.VOLUNTEER})

    def test_accounts_names_the_same_kinds(self):
        self.assertEqual(set(VOLUNTEER_TEAM_KINDS), set(VOLUNTEER_KINDS))
