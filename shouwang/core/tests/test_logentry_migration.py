"""The log moved from django-auditlog's table to core.LogEntry's: on a
database that still has that table, entries written before the move are found
after it, and new ones follow them."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.people.audit import PeopleEvent
from shouwang.people.models import AdminClass
from shouwang.test import MigrationTestCase

BEFORE = [("core", "0001_initial")]
AFTER = [("core", "0002_logentry")]
# auditlog's table as its migrations left it, less its foreign keys and indexes.
AUDITLOG_COLUMNS = {
    "id": "IntegerField",
    "content_type_id": "IntegerField",
    "object_pk": "TextField",
    "object_id": "BigIntegerField",
    "object_repr": "TextField",
    "serialized_data": "JSONField",
    "action": "SmallIntegerField",
    "changes_text": "TextField",
    "changes": "JSONField",
    "actor_id": "BigIntegerField",
    "cid": "TextField",
    "remote_addr": "GenericIPAddressField",
    "remote_port": "IntegerField",
    "timestamp": "DateTimeField",
    "additional_data": "JSONField",
    "actor_email": "TextField",
}


def create_auditlog_table(cursor) -> None:
    types = connection.data_types
    columns = ", ".join(f"{name} {types[kind]}" for name, kind in AUDITLOG_COLUMNS.items())
    cursor.execute(f"CREATE TABLE auditlog_logentry ({columns}, PRIMARY KEY (id))")


class LogEntryMoveTestCase(MigrationTestCase):
    def test_entries_logged_before_the_move_are_kept_and_new_ones_follow(self):
        self.migrate(BEFORE)
        with connection.cursor() as cursor:
            create_auditlog_table(cursor)
            cursor.execute("SELECT id FROM django_content_type ORDER BY id LIMIT 1")
            content_type = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO auditlog_logentry (id, content_type_id, object_pk, object_id, "
                "object_repr, action, changes_text, timestamp, additional_data) "
                "VALUES (41, %s, '7', 7, '计科2001班', 1, 'counsellor_set', %s, %s)",
                [content_type, "2022-04-02 08:00:00+00", '{"what": "counsellor_set"}'],
            )
        self.migrate(AFTER)
        self.assertNotIn("auditlog_logentry", connection.introspection.table_names())
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        moved = LogEntry.objects.get(pk=41)
        self.assertEqual((moved.object_id, moved.object_repr), (7, "计科2001班"))
        self.assertEqual((moved.kind, moved.additional_data), ("people.counsellor_set", {}))
        admin_class = AdminClass.objects.create(name="计科2002班")
        later = audit.record(PeopleEvent.CLASS_CREATED, admin_class, acting_user=None)
        self.assertGreater(later.pk, 41)
