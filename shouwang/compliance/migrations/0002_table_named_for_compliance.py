# The tallies' table takes its app's name, every row kept; the audit log's
# entries about them follow their content type.

from django.db import migrations

from shouwang.core.moved_models import content_types_move


class Migration(migrations.Migration):

    dependencies = [
        ('checkins', '0006_flags_and_tallies_moved_out'),
        ('compliance', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_logentry'),
    ]

    operations = [
        migrations.AlterModelTable(name='dailytally', table=None),
        content_types_move('checkins', 'compliance', ['dailytally']),
    ]
