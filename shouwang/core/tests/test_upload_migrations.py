"""Files and cards from before sizes, uploaders and senders were kept: the
migrations fill them in, so that old attachments count towards their
sender's quota and old cards show who sent them."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shouwang.care.models import CareContact
from shouwang.core.uploads import stored_bytes
from shouwang.helpdesk.models import HelpRequestAttachment
from shouwang.test import MigrationTestCase

BEFORE = [("helpdesk", "0001_initial"), ("care", "0001_initial")]
AFTER = [
    ("helpdesk", "0002_attachment_size_and_uploader"),
    ("care", "0002_card_sender_name_and_role"),
]


class UploadMigrationTestCase(MigrationTestCase):
    def test_old_attachments_count_for_their_requester_and_old_cards_name_their_author(self):
        apps = self.migrate(BEFORE)
        Person = apps.get_model("people", "Person")
        student = Person.objects.create(number="2020001", name="张三", kind="student")
        volunteer = Person.objects.create(number="2021002", name="王五", kind="student")
        user = apps.get_model("accounts", "User").objects.create(username="2020001", person=student)
        writer = apps.get_model("accounts", "User").objects.create(
            username="2021002", person=volunteer
        )
        request = apps.get_model("helpdesk", "HelpRequest").objects.create(
            requester=student, category="living", description="饭卡丢了"
        )
        name = default_storage.save("helpdesk/old/证明.pdf", ContentFile(b"%PDF-1.4" + b"0" * 992))
        apps.get_model("helpdesk", "Attachment").objects.create(
            request=request, file=name, name="证明.pdf"
        )
        room = apps.get_model("people", "DormRoom").objects.create(building="B", number="312")
        isolation = apps.get_model("care", "Isolation").objects.create(
            person=student,
            dorm_room=room,
            reason="密接",
            started_at="2022-04-10T08:00:00+08:00",
            planned_end="2022-04-17",
        )
        apps.get_model("care", "CareContact").objects.create(
            isolation=isolation, kind="card", body="加油", signed="辅导员 赵璞", author=writer
        )

        self.migrate(AFTER)
        # And on to today's models, which the quota is counted with.
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        self.assertEqual(
            (HelpRequestAttachment.objects.get().size, stored_bytes(user)), (1000, 1000)
        )
        card = CareContact.objects.get()
        self.assertEqual((card.sender_name, card.sender_role), ("王五", "volunteer"))
