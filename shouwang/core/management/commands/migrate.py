from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.core.management.commands import migrate

from shouwang.core.startup import refuse_unsafe_production


class Command(migrate.Command):
    """Django's migrate, refusing a production database while the keys are unsafe.

    The test runner calls it with the checks skipped, as it calls every command."""

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_checks"]:
            try:
                refuse_unsafe_production()
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from exc
        super().handle(*args, **options)
