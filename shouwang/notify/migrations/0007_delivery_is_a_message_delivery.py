"""A message's delivery on a channel is a MessageDelivery, apart from a meal's
delivery. The table and its indexes are renamed with their rows; the content
type follows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notify", "0006_message_kind_registered_by_senders")]

    operations = [
        migrations.RenameModel("Delivery", "MessageDelivery"),
        migrations.RenameIndex(
            model_name="messagedelivery",
            new_name="notify_mess_channel_e11acf_idx",
            old_name="notify_deli_channel_feb97d_idx",
        ),
        migrations.RenameIndex(
            model_name="messagedelivery",
            new_name="notify_mess_channel_b594cf_idx",
            old_name="notify_deli_channel_aa4458_idx",
        ),
    ]
