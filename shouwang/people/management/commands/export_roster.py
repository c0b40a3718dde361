from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.lib.spreadsheets import write_csv, write_xlsx
from shouwang.people.models import Person
from shouwang.people.roster import EXPORT_HEADERS, export_queryset, export_rows


class Command(BaseCommand):
    help = "Write the whole roster in the import format (.xlsx or .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        rows = export_rows(export_queryset(Person.objects.all()))
        if file.suffix.lower() == ".xlsx":
            data = write_xlsx(EXPORT_HEADERS, rows, title="roster")
        elif file.suffix.lower() == ".csv":
            data = write_csv(EXPORT_HEADERS, rows)
        else:
            raise CommandError("export to .xlsx or .csv")
        file.write_bytes(data)
        self.stdout.write(f"wrote {file}")
