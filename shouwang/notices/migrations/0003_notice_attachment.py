"""A notice's file is a NoticeAttachment, apart from other apps' attachments.
The table is renamed with its rows; the content type follows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_attachment_uploader")]

    operations = [
        migrations.RenameModel("Attachment", "NoticeAttachment"),
    ]
