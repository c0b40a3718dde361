from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent snapshot, taken while the server runs) and the "
        "uploaded files into a new timestamped folder of DIR, with a manifest of the counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Then delete all but the newest N backups in DIR, and any kept past "
            "the check-in retention.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup.create(options["directory"])
            pruned = (
                backup.prune(options["directory"], keep=options["keep"])
                if options["keep"] is not None
                else []
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.read_manifest(made)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{made}: {rows} rows in {len(manifest['counts'])} tables, {manifest['files']} files"
        )
        for path in pruned:
            self.stdout.write(f"deleted {path}")
