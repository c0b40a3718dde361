import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shouwang.lib.spreadsheets import SpreadsheetError, stream_rows
from shouwang.people.actions import commit_roster
from shouwang.people.models import Person, RosterImport, Unit
from shouwang.people.roster import COLUMNS, RosterDefaults, check_roster

CATEGORIES = {
    "student": Person.Kind.STUDENT,
    "teacher": Person.Kind.TEACHER,
    "staff": Person.Kind.STAFF,
}


def _columns_epilog() -> str:
    lines = ["accepted columns (the first header is what export_roster writes):"]
    for label, header, synonyms in COLUMNS.help():
        lines.append(f"  {header:<8} {label}: {'、'.join(synonyms)}")
    lines.append(
        "Only 学号/工号 and 姓名 are required. A blank cell, like a missing column, "
        "leaves the stored value alone; every assumption is printed as a warning."
    )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Check a roster file (.xlsx, .xls or .csv) and print every warning and bad row; "
        "with --commit, write all valid rows in one transaction."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _columns_epilog()
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the valid rows.")
        parser.add_argument(
            "--unit", metavar="NAME", default="", help="The unit of rows that name none."
        )
        parser.add_argument(
            "--category",
            choices=sorted(CATEGORIES),
            help="The category (类别) of rows that state none; needed to commit a file "
            "without 类别 that does not show students (a class column or 学号).",
        )
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="Create the units the file names that do not exist (with --commit).",
        )
        parser.add_argument(
            "--parent",
            metavar="NAME",
            default="",
            help="The unit under which --create-units creates them (default: the top).",
        )

    def handle(self, *args: Any, file: Path, commit: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        defaults = RosterDefaults(
            unit=options["unit"].strip(),
            kind=CATEGORIES[options["category"]] if options["category"] else None,
            create_units=options["create_units"],
            parent=options["parent"].strip(),
        )
        for name in filter(None, [defaults.unit, defaults.parent]):
            if not Unit.objects.filter(name=name).exists():
                raise CommandError(f"no unit named {name}")
        try:
            with file.open("rb") as handle:
                check = check_roster(stream_rows(handle, file.name), defaults=defaults)
        except SpreadsheetError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for warning in check.warnings:
            self.stdout.write(str(warning))
        for error in check.errors:
            self.stdout.write(str(error))
        self.stdout.write(check.summary_line())
        if not commit:
            return
        if check.blocked:
            raise CommandError("nothing committed: give --category student, teacher or staff")
        with transaction.atomic():
            roster_import = RosterImport.objects.create(
                filename=file.name,
                default_unit=Unit.objects.filter(name=defaults.unit).first(),
                default_kind=defaults.kind or "",
            )
            roster_import.record_check(check)
            summary = commit_roster(roster_import, check, acting_user=None)
        line = (
            "committed: created {created}, updated {updated}, unchanged {unchanged}, "
            "classes created {classes_created}, classes updated {classes_updated}"
        ).format(**summary)
        if summary["units_created"]:
            line += ", units created {units_created}".format(**summary)
        # The id is what `issue_passwords --import ID` takes for this file's new people.
        self.stdout.write(f"{line}; import id {roster_import.pk}")
