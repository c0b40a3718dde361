"""A help request's history, tasks and files are named for it, apart from
other apps' events, tasks and attachments. The tables are renamed with their
rows; the content types follow, so the audit log's entries keep pointing at
them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_attachment_size_and_uploader")]

    operations = [
        migrations.RenameModel("Event", "HelpRequestEvent"),
        migrations.RenameModel("Task", "HelpRequestTask"),
        migrations.RenameModel("Attachment", "HelpRequestAttachment"),
    ]
