# The daily tallies, moved here from checkins with their table (renamed in
# 0002): this only tells Django's state.

import django.db.models.deletion
import shouwang.lib.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('checkins', '0005_dailytally_counted_at'),
        ('incidents', '0001_initial'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DailyTally',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('expected', models.PositiveIntegerField(verbose_name='expected')),
                        ('reported', models.PositiveIntegerField(verbose_name='reported')),
                        ('late', models.PositiveIntegerField(verbose_name='late')),
                        ('abnormal', models.PositiveIntegerField(verbose_name='abnormal')),
                        ('on_campus', models.PositiveIntegerField(verbose_name='on campus')),
                        ('counted_at', models.DateTimeField(default=shouwang.lib.clock.now, verbose_name='counted at')),
                        ('admin_class', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.adminclass', verbose_name='class')),
                        ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='incidents.incident', verbose_name='incident')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'daily tally',
                        'verbose_name_plural': 'daily tallies',
                        'db_table': 'checkins_dailytally',
                        'constraints': [models.UniqueConstraint(fields=('incident', 'date', 'admin_class', 'unit'), name='tally_unique')],
                    },
                ),
            ],
        ),
    ]
