"""Roles held before the record began keep working, and the record lists them."""

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shouwang.accounts.models import Role, RoleGrant, User
from shouwang.test import MigrationTestCase


def role_grants_migration(executor: MigrationExecutor) -> tuple[str, str]:
    names = [name for app, name in executor.loader.disk_migrations if app == "accounts"]
    return ("accounts", next(name for name in names if name.endswith("_role_grants")))


def before(executor: MigrationExecutor, migration: tuple[str, str]) -> tuple[str, str]:
    return next(
        parent
        for parent in executor.loader.graph.node_map[migration].parents
        if parent.key[0] == "accounts"
    ).key


class RecordExistingMembersTestCase(MigrationTestCase):
    def test_members_of_a_role_group_are_recorded_as_held_before_records_began(self):
        executor = MigrationExecutor(connection)
        migration = role_grants_migration(executor)
        self.migrate([before(executor, migration)])
        support = User.objects.create(username="S0100")
        support.groups.add(Group.objects.create(name=Role.PSYCH_SUPPORT.value))
        User.objects.create(username="S0101").groups.add(Group.objects.create(name="other"))
        self.migrate([migration])

        grant = RoleGrant.objects.get()
        self.assertEqual((grant.user_id, grant.role), (support.pk, "psych_support"))
        self.assertEqual((grant.granted_at, grant.granted_by), (None, None))
        self.assertIn(Role.PSYCH_SUPPORT, User.objects.get(pk=support.pk).roles)
