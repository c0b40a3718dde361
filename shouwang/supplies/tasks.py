"""Supplies' background tasks."""

from __future__ import annotations

from django_tasks import task

from shouwang.core.scheduler import periodic

from . import disclosure, ledger_check


@task()
def refresh_disclosures(donation_ids: list[int]) -> int:
    """Rewrite the public disclosures of donations whose stock moved."""
    return disclosure.refresh(donation_ids)


# At night, when nobody is counting stock in or out.
@periodic("15 3 * * *")
@task()
def check_ledger() -> int:
    """Recompute every kept balance from its movements; tell the admins of any mismatch."""
    return ledger_check.report()
