"""The log moved from auditlog's table to core.LogEntry's: entries written
before the move are found after it, and new ones follow them."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from shouwang.core.audit import audit_action
from shouwang.core.models import LogEntry

BEFORE = [("core", "0001_initial")]
AFTER = [("core", "0002_logentry")]


class LogEntryMoveTestCase(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)

    def tearDown(self):
        self.migrate(executor_leaf_nodes())

    def test_entries_logged_before_the_move_are_kept_and_new_ones_follow(self):
        self.migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM django_content_type ORDER BY id LIMIT 1")
            content_type = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO auditlog_logentry (id, content_type_id, object_pk, object_id, "
                "object_repr, action, changes_text, timestamp, additional_data) "
                "VALUES (41, %s, '7', 7, '计科2001班', 1, 'imported', %s, %s)",
                [content_type, "2022-04-02 08:00:00", '{"what": "imported"}'],
            )
        self.migrate(AFTER)

        moved = LogEntry.objects.get(pk=41)
        self.assertEqual((moved.object_id, moved.object_repr), (7, "计科2001班"))
        self.assertEqual(moved.additional_data, {"what": "imported"})
        later = LogEntry.objects.get(pk=audit_action(None, moved.content_type, "after"))
        self.assertGreater(later.pk, 41)
        self.assertNotIn("auditlog_logentry", connection.introspection.table_names())


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
