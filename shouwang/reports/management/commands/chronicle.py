"""The chronicle (工作纪实) of an incident for a college, from the command line.

    python manage.py chronicle --incident 3 --json

prints every figure as {"key": value}. The period is the incident's (to
today while it runs) unless --first or --last narrow it; the college is the
one unit the incident covers unless --college names it. Each way of writing
the chronicle out is an option of its own, handled by a method of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from shouwang.incidents.models import Incident
from shouwang.people.models import Unit
from shouwang.reports.figures import Scope, ScopeError, compute


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Write the chronicle of an incident for a college: --json prints its figures."

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

    def handle(self, *args: Any, **options: Any) -> None:
        scope = self.scope(options)
        if options["json"]:
            self.write_json(scope)
            return
        raise CommandError("Say how to write the chronicle out: --json.")

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

    def write_json(self, scope: Scope) -> None:
        values = compute(scope)
        self.stdout.write(json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
