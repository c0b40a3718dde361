"""The chronicle (工作纪实) of an incident for a college, from the command line.

    python manage.py chronicle --incident 3 --json

prints every figure as {"key": value};

    python manage.py chronicle --incident 3 --out 工作纪实.docx

drafts the chronicle from the data and writes it as a Word file (or a PDF,
by the file's extension), as the editor's first draft reads. The period is the incident's (to
today while it runs) unless --first or --last narrow it; the college is the
one unit the incident covers unless --college names it. Each way of writing
the chronicle out is an option of its own, handled by a method of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from shouwang.incidents.models import Incident
from shouwang.people.models import Unit
from shouwang.reports.chronicle import drafted
from shouwang.reports.chronicle_files import docx_bytes, pdf_bytes
from shouwang.reports.figures import Scope, ScopeError, compute


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Write the chronicle of an incident for a college: --json prints its figures, "
        "--out FILE writes it as .docx or .pdf."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incident", type=int, required=True, help="the incident's id")
        parser.add_argument(
            "--college",
            type=int,
            help="the college's unit id (default: the one unit the incident covers)",
        )
        parser.add_argument("--first", type=date, help="first day (default: the incident's start)")
        parser.add_argument(
            "--last", type=date, help="last day (default: its close, or today while it runs)"
        )
        parser.add_argument(
            "--json", action="store_true", help='print every figure as {"key": value}'
        )
        parser.add_argument(
            "--out",
            type=Path,
            help="write the drafted chronicle to this file: .docx (Word) or .pdf",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scope = self.scope(options)
        if options["json"]:
            self.write_json(scope)
            return
        if options["out"] is not None:
            self.write_file(scope, options["out"])
            return
        raise CommandError("Say how to write the chronicle out: --json or --out FILE.")

    def scope(self, options: dict[str, Any]) -> Scope:
        """The college and period the options name; CommandError for what does not exist."""
        incident = Incident.objects.filter(pk=options["incident"]).first()
        if incident is None:
            raise CommandError(f"There is no incident {options['incident']}.")
        unit = None
        if options["college"] is not None:
            unit = Unit.objects.filter(pk=options["college"]).first()
            if unit is None:
                raise CommandError(f"There is no unit {options['college']}.")
        try:
            return Scope.of_incident(incident, unit, options["last"], first=options["first"])
        except ScopeError as exc:
            raise CommandError(str(exc)) from exc

    def write_file(self, scope: Scope, path: Path) -> None:
        """The chronicle as first drafted, its figures counted now, as .docx or .pdf."""
        writers = {".docx": docx_bytes, ".pdf": pdf_bytes}
        writer = writers.get(path.suffix.lower())
        if writer is None:
            raise CommandError(f"Write a .docx or a .pdf file, not {path.name}.")
        path.write_bytes(writer(drafted(scope)))
        self.stdout.write(f"{path}")

    def write_json(self, scope: Scope) -> None:
        values = compute(scope)
        self.stdout.write(json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
