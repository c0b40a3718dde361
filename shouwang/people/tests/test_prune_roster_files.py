from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from shouwang.people.models import RosterImport
from shouwang.people.tasks import prune_roster_files
from shouwang.test import BaseTestCase


@override_settings(ROSTER_FILE_DAYS=30)
class PruneRosterFilesTestCase(BaseTestCase):
    def upload(self, days_ago: int, status=RosterImport.Status.COMMITTED) -> RosterImport:
        item = RosterImport.objects.create(
            file=ContentFile("学号,姓名,手机\n2020001,张三,13912345678\n", name="roster.csv"),
            filename="roster.csv",
            uploaded_by=self.leader,
            status=status,
        )
        RosterImport.objects.filter(pk=item.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        return item

    def test_it_deletes_old_files_and_keeps_the_record(self):
        old, recent = self.upload(days_ago=31), self.upload(days_ago=2)
        path = old.file.path

        self.assertEqual(prune_roster_files.call(), 1)

        old.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual(old.file.name, "")
        self.assertEqual(old.status, RosterImport.Status.COMMITTED)
        self.assertFalse(old.file.storage.exists(path))
        self.assertTrue(recent.file.storage.exists(recent.file.name))

    def test_it_leaves_an_import_that_is_still_running(self):
        running = self.upload(days_ago=40, status=RosterImport.Status.CHECKING)
        prune_roster_files.call()
        running.refresh_from_db()
        self.assertNotEqual(running.file.name, "")
