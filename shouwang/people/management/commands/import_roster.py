from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shouwang.lib.spreadsheets import SpreadsheetError, read_rows
from shouwang.people.actions import commit_roster, record_check
from shouwang.people.models import RosterImport
from shouwang.people.roster import check_roster


class Command(BaseCommand):
    help = (
        "Check a roster file (.xlsx, .xls or .csv) and print every bad row; "
        "with --commit, write all valid rows in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the valid rows.")

    def handle(self, *args, file: Path, commit: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            check = check_roster(read_rows(file))
        except SpreadsheetError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for error in check.errors:
            self.stdout.write(str(error))
        self.stdout.write(check.summary_line())
        if not commit:
            return
        with transaction.atomic():
            roster_import = RosterImport.objects.create(filename=file.name)
            record_check(roster_import, check)
            summary = commit_roster(roster_import, check, acting_user=None)
        self.stdout.write(
            "committed: created {created}, updated {updated}, unchanged {unchanged}, "
            "classes created {classes_created}, classes updated {classes_updated}".format(**summary)
        )
