import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models

COLUMNS = (
    "id, content_type_id, object_pk, object_id, object_repr, serialized_data, action, "
    "changes_text, changes, actor_id, cid, remote_addr, remote_port, timestamp, "
    "additional_data, actor_email"
)


def move_from_auditlog(apps, schema_editor):
    """Move the entries of auditlog's own table, where the log was kept
    before, into this one, and drop that table: nothing already logged is
    lost, and nothing is kept twice. (Left in place, its foreign keys would
    stop PostgreSQL from emptying the users' table, as a test's flush does.)"""
    connection = schema_editor.connection
    if "auditlog_logentry" not in connection.introspection.table_names():
        return
    schema_editor.execute(
        f"INSERT INTO core_logentry ({COLUMNS}) SELECT {COLUMNS} FROM auditlog_logentry"
    )
    # PostgreSQL's id sequence starts again after the ids copied.
    for sql in connection.ops.sequence_reset_sql(no_style(), [apps.get_model("core", "LogEntry")]):
        schema_editor.execute(sql)
    schema_editor.execute("DROP TABLE auditlog_logentry")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_repr', models.TextField(verbose_name='object representation')),
                ('serialized_data', models.JSONField(null=True)),
                ('changes_text', models.TextField(blank=True, verbose_name='change message')),
                ('changes', models.JSONField(null=True, verbose_name='change message')),
                ('remote_addr', models.GenericIPAddressField(blank=True, null=True, verbose_name='remote address')),
                ('remote_port', models.PositiveIntegerField(blank=True, null=True, verbose_name='remote port')),
                ('timestamp', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='timestamp')),
                ('additional_data', models.JSONField(blank=True, null=True, verbose_name='additional data')),
                ('actor_email', models.CharField(blank=True, max_length=254, null=True, verbose_name='actor email')),
                ('object_pk', models.CharField(max_length=255, verbose_name='object pk')),
                ('object_id', models.BigIntegerField(blank=True, null=True, verbose_name='object id')),
                ('action', models.PositiveSmallIntegerField(choices=[(0, 'create'), (1, 'update'), (2, 'delete'), (3, 'access')], verbose_name='action')),
                ('cid', models.CharField(blank=True, max_length=255, null=True, verbose_name='Correlation ID')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                ('content_type', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='content type')),
            ],
            options={
                'verbose_name': 'log entry',
                'verbose_name_plural': 'log entries',
                'ordering': ['-timestamp'],
                'get_latest_by': 'timestamp',
                'abstract': False,
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='logentry_object')],
            },
        ),
        # Not moved back: django-auditlog, whose table it was, is no longer installed.
        migrations.RunPython(move_from_auditlog, migrations.RunPython.noop),
    ]
