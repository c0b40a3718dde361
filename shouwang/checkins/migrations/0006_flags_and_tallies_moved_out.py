# The flags, their actions and the risky regions moved to screening, the daily
# tallies to compliance, their tables with them: only Django's state changes
# here (screening and compliance rename the tables).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0004_isolation_flag_in_screening'),
        ('checkins', '0005_dailytally_counted_at'),
        ('compliance', '0001_initial'),
        ('screening', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='FlagAction'),
                migrations.DeleteModel(name='Flag'),
                migrations.DeleteModel(name='RiskRegion'),
                migrations.DeleteModel(name='DailyTally'),
            ],
        ),
    ]
