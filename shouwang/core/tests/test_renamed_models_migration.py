"""Models renamed so that no two apps share a name keep their rows, and their
content types keep their ids: whatever pointed at them (the audit log, by
content type and id) points at the renamed models."""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from shouwang.helpdesk.models import HelpRequestEvent
from shouwang.test import MigrationTestCase

BEFORE = {
    "care": "0002_card_sender_name_and_role",
    "notify": "0005_message_kind_help",
    "helpdesk": "0002_attachment_size_and_uploader",
    "notices": "0002_attachment_uploader",
    "bulletin": "0004_dates_from_the_apps_clock",
}
RENAMED = {
    ("care", "delivery"): "mealdelivery",
    ("notify", "delivery"): "messagedelivery",
    ("helpdesk", "event"): "helprequestevent",
    ("helpdesk", "task"): "helprequesttask",
    ("helpdesk", "attachment"): "helprequestattachment",
    ("notices", "attachment"): "noticeattachment",
    ("bulletin", "attachment"): "articleattachment",
}


class RenamedModelsTestCase(MigrationTestCase):
    def test_rows_and_content_types_survive_the_renames(self):
        # migrate (not the executor alone) writes the old models' content types.
        for app, migration in BEFORE.items():
            call_command("migrate", app, migration, verbosity=0)
        ContentType.objects.clear_cache()
        old_ids = {key: ContentType.objects.get_by_natural_key(*key).pk for key in RENAMED}
        apps = self.migrate(list(BEFORE.items()))
        Person = apps.get_model("people", "Person")
        student = Person.objects.create(number="2020001", name="张三", kind="student")
        request = apps.get_model("helpdesk", "HelpRequest").objects.create(
            requester=student, category="living", description="饭卡丢了"
        )
        apps.get_model("helpdesk", "Event").objects.create(
            request=request, kind="submitted", actor=student
        )

        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()

        for (app, old), new in RENAMED.items():
            with self.subTest(model=f"{app}.{old}"):
                self.assertEqual(
                    ContentType.objects.get_by_natural_key(app, new).pk, old_ids[(app, old)]
                )
                self.assertFalse(ContentType.objects.filter(app_label=app, model=old).exists())
        event = HelpRequestEvent.objects.get()
        self.assertEqual((event.request.description, event.kind), ("饭卡丢了", "submitted"))
