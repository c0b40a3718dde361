"""The public disclosure (捐赠公示) of a donation: written from the ledger."""

from __future__ import annotations

from collections.abc import Iterable


def refresh(donation_ids: Iterable[int]) -> int:
    """Rewrite the published disclosures of these donations from the ledger; how many changed."""
    return 0
