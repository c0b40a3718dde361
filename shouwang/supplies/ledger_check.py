"""The ledger's check: every kept balance against the sum of its movements.

`manage.py check_supplies_ledger` prints what does not add up; the scheduler
runs the same check every night, logs each mismatch and tells the admins, once
a day, in their inbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, people_with_role
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.notify.kinds import ESCALATION

from .models import Batch, Store
from .queries import ledger_mismatches

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mismatch:
    """A batch's kept balance in a store that its movements do not add up to."""

    store: Store
    batch: Batch
    kept: Decimal
    moved: Decimal

    def __str__(self) -> str:
        item = self.batch.item
        return _(
            "%(store)s, %(item)s batch #%(batch)s: %(kept)s kept, %(moved)s by the movements"
        ) % {
            "store": self.store.name,
            "item": item.name,
            "batch": self.batch.pk,
            "kept": item.say(self.kept),
            "moved": item.say(self.moved),
        }


def mismatches() -> list[Mismatch]:
    """Every mismatch of the ledger, with its store and batch: empty when it is sound."""
    rows = ledger_mismatches()
    if not rows:
        return []
    stores = Store.objects.in_bulk({store for _batch, store, _kept, _moved in rows})
    batches = (
        Batch.objects.select_related("item")
        .prefetch_related("item__packs")
        .in_bulk({batch for batch, _store, _kept, _moved in rows})
    )
    return [
        Mismatch(stores[store], batches[batch], kept, moved) for batch, store, kept, moved in rows
    ]


def report() -> int:
    """Log each mismatch and tell the admins (once a day); returns how many were found."""
    found = mismatches()
    for mismatch in found:
        logger.error("supplies ledger mismatch: %s", mismatch)
    if found:
        day = clock.today().isoformat()
        send(
            people_with_role(Role.ADMIN),
            ESCALATION,
            _("The supplies ledger does not add up in %(count)d places") % {"count": len(found)},
            "\n".join(str(mismatch) for mismatch in found[:50]),
            reverse("supplies:index"),
            key_for=lambda person: f"supplies_ledger:{day}:{person.pk}",
        )
    return len(found)
