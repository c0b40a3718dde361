from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup` into the configured database, which must be "
        "new and empty, and its files into MEDIA_ROOT; check the counts against the manifest, "
        "then run the check-in retention purge again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, metavar="DIR/BACKUP")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore(options["backup"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {sum(restored.counts.values())} rows in {len(restored.counts)} tables "
            f"(as the manifest counts them) and {restored.files} files"
        )
        if restored.migrated:
            self.stdout.write("migrated to this version's schema")
        for name, count in restored.after_restore.items():
            self.stdout.write(f"{name}: {count}")
