# The flags, their actions and the risky regions, moved here from checkins
# with their tables (renamed in 0002): this only tells Django's state.

import django.db.models.deletion
import shouwang.lib.clock
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('checkins', '0005_dailytally_counted_at'),
        ('incidents', '0001_initial'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RiskRegion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('province', models.CharField(max_length=6, verbose_name='province')),
                        ('city', models.CharField(blank=True, max_length=6, verbose_name='city')),
                        ('marked_at', models.DateTimeField(default=shouwang.lib.clock.now, verbose_name='marked at')),
                        ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risk_regions', to='incidents.incident', verbose_name='incident')),
                        ('marked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='marked by')),
                    ],
                    options={
                        'verbose_name': 'risk region',
                        'verbose_name_plural': 'risk regions',
                        'db_table': 'checkins_riskregion',
                        'constraints': [models.UniqueConstraint(fields=('incident', 'province', 'city'), name='riskregion_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Flag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('reason', models.CharField(choices=[('symptoms', 'symptoms'), ('fever', 'temperature of 37.3 °C or more'), ('contact', 'contact with a case'), ('risk_area', 'stayed in a risk area'), ('missed', 'missed two or more days in a row'), ('risk_region', 'off campus in a risky region')], max_length=12, verbose_name='reason')),
                        ('created_at', models.DateTimeField(default=shouwang.lib.clock.now, verbose_name='raised at')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                        ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='incidents.incident', verbose_name='incident')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='people.person', verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'screening flag',
                        'verbose_name_plural': 'screening flags',
                        'db_table': 'checkins_flag',
                        'indexes': [models.Index(fields=['incident', 'resolved_at'], name='checkins_fl_inciden_817d16_idx')],
                        'constraints': [models.UniqueConstraint(fields=('person', 'date', 'reason'), name='flag_once_a_day')],
                    },
                ),
                migrations.CreateModel(
                    name='FlagAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('contacted', 'contacted'), ('referred', 'referred to isolation'), ('cleared', 'cleared')], max_length=10, verbose_name='what was done')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('at', models.DateTimeField(default=shouwang.lib.clock.now, verbose_name='at')),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('flag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='screening.flag', verbose_name='flag')),
                    ],
                    options={
                        'verbose_name': 'action on a flag',
                        'verbose_name_plural': 'actions on flags',
                        'ordering': ['at'],
                        'db_table': 'checkins_flagaction',
                    },
                ),
            ],
        ),
    ]
