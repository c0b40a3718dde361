"""Check that every kept balance of the supplies ledger equals the sum of its movements."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shouwang.supplies.ledger_check import mismatches


class Command(BaseCommand):
    help = "Print each batch whose kept balance differs from its movements; fail if any."

    def handle(self, *args: Any, **options: Any) -> None:
        found = mismatches()
        for mismatch in found:
            self.stdout.write(str(mismatch))
        if found:
            raise CommandError(f"{len(found)} balances differ from their movements.")
        self.stdout.write("The supplies ledger adds up.")
