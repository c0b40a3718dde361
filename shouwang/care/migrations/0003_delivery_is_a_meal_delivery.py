"""A meal's delivery is a MealDelivery, apart from a message's delivery on a
channel. The table and its indexes are renamed with their rows; the content
type follows, so the audit log's entries keep pointing at it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("care", "0002_card_sender_name_and_role")]

    operations = [
        migrations.RenameModel("Delivery", "MealDelivery"),
        migrations.RenameIndex(
            model_name="mealdelivery",
            new_name="care_mealde_team_id_da54be_idx",
            old_name="care_delive_team_id_658b10_idx",
        ),
        migrations.RenameIndex(
            model_name="mealdelivery",
            new_name="care_mealde_status_0dbe23_idx",
            old_name="care_delive_status_17988f_idx",
        ),
    ]
