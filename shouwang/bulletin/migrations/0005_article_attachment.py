"""An article's file is an ArticleAttachment, apart from other apps'
attachments. The table is renamed with its rows; the content type follows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0004_dates_from_the_apps_clock")]

    operations = [
        migrations.RenameModel("Attachment", "ArticleAttachment"),
    ]
