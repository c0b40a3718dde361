"""A delivery being sent carries a lease; a row left sending by a sender that
died before leases existed gets one that ends ten minutes after its attempt,
so that the recovery job takes it up."""

import datetime as dt

from django.db import migrations, models


def lease_rows_left_sending(apps, schema_editor):
    MessageDelivery = apps.get_model("notify", "MessageDelivery")
    MessageDelivery.objects.filter(status="sending", last_attempt_at__isnull=False).update(
        leased_until=models.F("last_attempt_at") + dt.timedelta(minutes=10)
    )


class Migration(migrations.Migration):
    dependencies = [("notify", "0007_delivery_is_a_message_delivery")]

    operations = [
        migrations.AddField(
            model_name="messagedelivery",
            name="leased_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed until"),
        ),
        migrations.AlterField(
            model_name="messagedelivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "pending"),
                    ("sending", "sending"),
                    ("sent", "sent"),
                    ("failed", "failed"),
                    ("unknown", "unknown"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(lease_rows_left_sending, migrations.RunPython.noop),
    ]
