from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shouwang.demo import build


class Command(BaseCommand):
    help = (
        "Build the demo college (信息学院 of 山西财经大学, April 2022) into an empty "
        "database and print its logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all people, classes, branches, dorm rooms, units and users, then rebuild.",
        )

    def handle(self, *args: Any, reset: bool, **options: Any) -> None:
        # Nothing is printed until the transaction is over: a closed pipe on
        # stdout must not roll the build back.
        try:
            built = self._build(reset)
        except build.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if built:
            self._describe()
        else:
            self.stdout.write("The demo college is already built; --reset rebuilds it.")
        self.stdout.write("")
        self.stdout.write(
            build.format_table(("role", "number", "name", "password"), build.login_rows())
        )

    @transaction.atomic
    def _build(self, reset: bool) -> bool:
        """Build the college, after clearing the database if asked; False if it is there."""
        if reset:
            build.clear()
        if build.is_built():
            return False
        if build.has_people():
            raise build.DemoError(
                "this database already holds people; the demo builds into an empty one"
            )
        build.build()
        return True

    def _describe(self) -> None:
        figures = build.figures()
        self.stdout.write(
            "Built the demo college: {students} students ({undergraduates} undergraduate, "
            "{masters} master's, {doctoral} doctoral), {teachers} teachers, {staff} staff, "
            "{classes} classes, {counsellors} counsellors, {dorm rooms} dorm rooms.".format(
                **figures
            )
        )
        for name, (members, probationary) in build.party_figures().items():
            self.stdout.write(f"  {name}: {members} members, {probationary} of them probationary")
