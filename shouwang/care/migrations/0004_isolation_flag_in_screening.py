# The screening flags moved to the screening app, their table with them: the
# foreign key is the same in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0003_delivery_is_a_meal_delivery'),
        ('screening', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='isolation',
                    name='flag',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='isolations', to='screening.flag', verbose_name='screening flag'),
                ),
            ],
        ),
    ]
