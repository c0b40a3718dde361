"""Screening's verbs: record what was done about a flag, mark and unmark a risky region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest

from shouwang.core import audit
from shouwang.incidents.models import Incident
from shouwang.lib import clock

from .audit import ScreeningEvent
from .models import Flag, FlagAction, RiskRegion
from .rules import flag_risk_region

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# What a counsellor did about a flag. Contacting someone leaves the flag open;
# referring them to isolation or clearing them settles it.
RESOLVING = (FlagAction.Outcome.REFERRED, FlagAction.Outcome.CLEARED)


@transaction.atomic
def record_flag_action(
    flag: Flag, *, outcome: str, note: str, acting_user: User, request: HttpRequest | None = None
) -> FlagAction:
    """Record what was done about a flag; referring or clearing resolves it."""
    action = FlagAction.objects.create(
        flag=flag, outcome=outcome, note=note, by=acting_user, at=clock.now()
    )
    if outcome in RESOLVING:
        # Two counsellors settling the same flag at once: the first one's time stands.
        Flag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(resolved_at=action.at)
        flag.refresh_from_db(fields=["resolved_at"])
    audit.record(
        ScreeningEvent.FLAG_ACTION,
        flag.person,
        acting_user=acting_user,
        request=request,
        flag=flag.pk,
        reason=flag.reason,
        outcome=outcome,
    )
    return action


@transaction.atomic
def mark_risk_region(
    incident: Incident,
    province: str,
    city: str = "",
    *,
    acting_user: User,
    request: HttpRequest | None = None,
) -> RiskRegion:
    """Mark a province (no city) or a city risky for the incident. Today's
    check-ins already made from there are flagged too: tomorrow's are flagged
    as they come in."""
    region, created = RiskRegion.objects.get_or_create(
        incident=incident,
        province=province,
        city=city,
        defaults={"marked_by": acting_user, "marked_at": clock.now()},
    )
    if created:
        flagged = flag_risk_region(region, clock.today())
        audit.record(
            ScreeningEvent.RISKY_REGION_MARKED,
            incident,
            acting_user=acting_user,
            request=request,
            province=province,
            city=city,
            flagged=flagged,
        )
    return region


@transaction.atomic
def unmark_risk_region(
    region: RiskRegion, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """The region is no longer risky. Flags it raised stay until someone acts on them."""
    audit.record(
        ScreeningEvent.RISKY_REGION_UNMARKED,
        region.incident,
        acting_user=acting_user,
        request=request,
        province=region.province,
        city=region.city,
    )
    region.delete()
