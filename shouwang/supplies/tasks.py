"""Supplies' background tasks."""

from __future__ import annotations

from django_tasks import task

from . import disclosure


@task()
def refresh_disclosures(donation_ids: list[int]) -> int:
    """Rewrite the public disclosures of donations whose stock moved."""
    return disclosure.refresh(donation_ids)
