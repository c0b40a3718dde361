# The flags' tables take their app's name, every row kept; the audit log's
# entries about them follow their content types.

from django.db import migrations

from shouwang.core.moved_models import content_types_move


class Migration(migrations.Migration):

    dependencies = [
        ('checkins', '0006_flags_and_tallies_moved_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_logentry'),
        ('screening', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='riskregion', table=None),
        migrations.AlterModelTable(name='flag', table=None),
        migrations.AlterModelTable(name='flagaction', table=None),
        migrations.RenameIndex(
            model_name='flag',
            new_name='flag_open_by_incident',
            old_name='checkins_fl_inciden_817d16_idx',
        ),
        content_types_move('checkins', 'screening', ['riskregion', 'flag', 'flagaction']),
    ]
