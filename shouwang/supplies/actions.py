"""The supplies workflows: stock received, issued, transferred, written off and
counted; donations pledged and counted in; requests decided, issued and
confirmed received.

Every change of stock goes through `_move`: one `Movement` row and the
batch's `Stock` balance changed in the same transaction. Taking stock out is a
conditional UPDATE (`quantity >= taken`) that the database applies atomically,
so two keepers issuing the last bottles at once cannot both succeed, on SQLite
or PostgreSQL, and the `Stock` check refuses any balance below zero besides.
Each action is atomic: a failure leaves no movement, balance or slip behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, people_with_role
from shouwang.care.models import Isolation, MealDelivery
from shouwang.core import audit
from shouwang.helpdesk import actions as helpdesk
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person, Unit

from .audit import SuppliesEvent
from .message_kinds import SUPPLIES
from .models import (
    Batch,
    Donation,
    DonationLine,
    DonationPhoto,
    Donor,
    IssueSlip,
    Item,
    ItemUnit,
    MinimumLevel,
    Movement,
    RequestLine,
    Stock,
    Stocktake,
    StocktakeLine,
    Store,
    SupplyRequest,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.volunteers.models import Team


class OutOfStock(ValidationError):
    """Not enough of an item that may be issued in a store; the message names the item."""


def _short(item: Item, store: Store, wanted: Decimal, available: Decimal) -> OutOfStock:
    return OutOfStock(
        _("%(store)s has %(available)s of %(item)s that may be issued; %(wanted)s were asked.")
        % {
            "store": store,
            "item": item,
            "available": item.say(available),
            "wanted": item.say(wanted),
        },
        code="out_of_stock",
    )


def _changed(batches: Iterable[Batch | int]) -> None:
    """After commit, rewrite the public disclosures of the donations these batches came from."""
    ids = {batch if isinstance(batch, int) else batch.pk for batch in batches}
    if not ids:
        return
    from .tasks import refresh_disclosures

    def enqueue() -> None:
        donations = sorted(
            set(
                Batch.objects.filter(pk__in=ids, line__isnull=False).values_list(
                    "line__donation_id", flat=True
                )
            )
        )
        if donations:
            refresh_disclosures.enqueue(donations)

    transaction.on_commit(enqueue)


def _move(
    kind: str,
    batch: Batch,
    store: Store,
    delta: Decimal,
    *,
    acting_user: User | None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Movement | None:
    """One ledger row and the balance it changes; None if the stock to take is not there."""
    if delta < 0:
        taken = Stock.objects.filter(batch=batch, store=store, quantity__gte=-delta).update(
            quantity=F("quantity") + delta
        )
        if taken != 1:
            return None
    else:
        stock, created = Stock.objects.get_or_create(
            batch=batch, store=store, defaults={"item_id": batch.item_id, "quantity": delta}
        )
        if not created:
            Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + delta)
    return Movement.objects.create(
        kind=kind,
        batch=batch,
        store=store,
        item_id=batch.item_id,
        delta=delta,
        at=at or clock.now(),
        by=acting_user,
        **fields,
    )


def issuable(store: Store, item: Item, day: dt.date | None = None) -> QuerySet[Stock]:
    """The balances of `item` in `store` that may be issued, first in first out:
    those with stock, not past their expiry date."""
    day = day or clock.today()
    return (
        Stock.objects.filter(store=store, item=item, quantity__gt=0)
        .filter(Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=day))
        .select_related("batch")
        .order_by("batch__received_at", "batch_id")
    )


def _take(
    kind: str,
    store: Store,
    item: Item,
    quantity: Decimal,
    *,
    batch: Batch | None,
    acting_user: User | None,
    **fields: Any,
) -> list[Movement]:
    """Take `quantity` of `item` out of `store`: from `batch`, or first in first out.

    A balance taken by someone else in the meantime is re-read, never driven
    below zero; if there is not enough, OutOfStock (and the caller's
    transaction leaves nothing behind)."""
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."), code="quantity")
    movements: list[Movement] = []
    needed = quantity
    for _attempt in range(5):
        stocks = issuable(store, item)
        if batch is not None:
            if batch.is_expired():
                raise OutOfStock(
                    _("Batch %(batch)s expired on %(day)s and cannot be issued.")
                    % {"batch": batch, "day": batch.expires_on},
                    code="expired",
                )
            stocks = stocks.filter(batch=batch)
        stocks_list = list(stocks)
        if sum((stock.quantity for stock in stocks_list), Decimal(0)) < needed:
            break
        for stock in stocks_list:
            if needed <= 0:
                break
            part = min(needed, stock.quantity)
            movement = _move(kind, stock.batch, store, -part, acting_user=acting_user, **fields)
            if movement is None:
                continue  # taken by someone else: read again
            movements.append(movement)
            needed -= part
        if needed <= 0:
            return movements
    available = sum(
        (
            stock.quantity
            for stock in issuable(store, item).filter(**({"batch": batch} if batch else {}))
        ),
        Decimal(0),
    )
    raise _short(item, store, needed if movements else quantity, available)


@transaction.atomic
def receive(
    store: Store,
    item: Item,
    quantity: Decimal,
    *,
    acting_user: User,
    line: DonationLine | None = None,
    source: str = "",
    expires_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Batch:
    """Put a new batch into a store: a donation line counted in, or bought (`source`)."""
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."), code="quantity")
    if item.perishable and expires_on is None:
        raise ValidationError(
            _("%(item)s is perishable: give the batch's expiry date.") % {"item": item},
            code="expiry",
        )
    batch = Batch.objects.create(
        item=item, line=line, source=source, expires_on=expires_on, received_at=at or clock.now()
    )
    _move(Movement.Kind.RECEIVED, batch, store, quantity, acting_user=acting_user, at=at)
    if line is None:
        audit.record(
            SuppliesEvent.STOCK_RECEIVED,
            store,
            acting_user=acting_user,
            item=item.name,
            quantity=str(quantity),
            source=source,
        )
    return batch


@transaction.atomic
def transfer(
    from_store: Store,
    to_store: Store,
    item: Item,
    quantity: Decimal,
    *,
    acting_user: User,
    batch: Batch | None = None,
    reason: str = "",
) -> list[Movement]:
    """Move stock between stores, batch by batch (first in, first out, or `batch`)."""
    if from_store == to_store:
        raise ValidationError(_("A transfer needs two different stores."), code="same_store")
    outs = _take(
        Movement.Kind.TRANSFER_OUT,
        from_store,
        item,
        quantity,
        batch=batch,
        acting_user=acting_user,
        other_store=to_store,
        reason=reason,
    )
    for out in outs:
        _move(
            Movement.Kind.TRANSFER_IN,
            out.batch,
            to_store,
            -out.delta,
            acting_user=acting_user,
            other_store=from_store,
            reason=reason,
        )
    audit.record(
        SuppliesEvent.TRANSFERRED,
        from_store,
        acting_user=acting_user,
        to=to_store.name,
        item=item.name,
        quantity=str(quantity),
    )
    _changed(out.batch for out in outs)
    return outs


@transaction.atomic
def write_off(
    store: Store,
    batch: Batch,
    quantity: Decimal,
    *,
    cause: str,
    reason: str = "",
    acting_user: User,
) -> Movement:
    """Take an expired or damaged quantity of a batch out of stock."""
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."), code="quantity")
    movement = _move(
        Movement.Kind.WRITTEN_OFF,
        batch,
        store,
        -quantity,
        acting_user=acting_user,
        cause=cause,
        reason=reason,
    )
    if movement is None:
        held = Stock.objects.filter(batch=batch, store=store).values_list("quantity", flat=True)
        raise _short(batch.item, store, quantity, next(iter(held), Decimal(0)))
    audit.record(
        SuppliesEvent.WRITTEN_OFF,
        store,
        acting_user=acting_user,
        batch=batch.pk,
        quantity=str(quantity),
        cause=cause,
    )
    _changed([batch])
    return movement


@transaction.atomic
def record_stocktake(
    store: Store,
    counts: Mapping[Batch, Decimal],
    *,
    reason: str = "",
    acting_user: User,
) -> Stocktake:
    """A count of some batches of a store: each difference from the computed
    balance becomes an adjusting movement with the count's reason."""
    if any(counted < 0 for counted in counts.values()):
        raise ValidationError(_("A count cannot be negative."), code="negative")
    balances = dict(
        Stock.objects.select_for_update()
        .filter(store=store, batch__in=list(counts))
        # In the order an issue takes them, so a count and an issue never
        # wait on each other's rows.
        .order_by("batch__received_at", "batch_id")
        .values_list("batch_id", "quantity")
    )
    differs = any(
        balances.get(batch.pk, Decimal(0)) != counted for batch, counted in counts.items()
    )
    if differs and not reason.strip():
        raise ValidationError(
            _("The count differs from the computed stock: give the reason."), code="reason"
        )
    stocktake = Stocktake.objects.create(store=store, by=acting_user, reason=reason)
    for batch, counted in counts.items():
        computed = balances.get(batch.pk, Decimal(0))
        StocktakeLine.objects.create(
            stocktake=stocktake, batch=batch, computed=computed, counted=counted
        )
        if counted != computed:
            _move(
                Movement.Kind.ADJUSTED,
                batch,
                store,
                counted - computed,
                acting_user=acting_user,
                stocktake=stocktake,
                reason=reason,
            )
    audit.record(
        SuppliesEvent.STOCKTAKE,
        store,
        acting_user=acting_user,
        lines=len(counts),
        differences=sum(
            1 for batch, counted in counts.items() if balances.get(batch.pk, Decimal(0)) != counted
        ),
    )
    _changed(counts)
    return stocktake


# The catalogue and the stores ----------------------------------------------


@dataclass(frozen=True)
class Pack:
    """Another unit an item is counted in: a 箱 holding 24 of the base unit."""

    name: str
    factor: Decimal


def _check_packs(item: Item, packs: Sequence[Pack]) -> None:
    names = [pack.name for pack in packs]
    if any(not name for name in names):
        raise ValidationError(_("Give each unit a name."), code="pack_name")
    if len(set(names)) != len(names):
        raise ValidationError(_("Each unit may be named once."), code="pack_duplicate")
    if item.base_unit in names:
        raise ValidationError(
            _("%(unit)s is the base unit already: name another unit.") % {"unit": item.base_unit},
            code="pack_base",
        )
    if any(pack.factor <= 0 for pack in packs):
        raise ValidationError(
            _("A unit holds more than zero of the base unit."), code="pack_factor"
        )
    if item.usual_unit and item.usual_unit not in {item.base_unit, *names}:
        raise ValidationError(
            _("The usual unit %(unit)s must be the base unit or one of the item's units.")
            % {"unit": item.usual_unit},
            code="usual_unit",
        )


@transaction.atomic
def save_item(item: Item, packs: Sequence[Pack], *, acting_user: User) -> Item:
    """Save an item of the catalogue with the units it is counted in, its
    packs replaced by `packs`. Quantities are kept in the base unit and
    donations in the unit the donor named, so once the item is in the ledger
    its base unit stays, and a unit a donation was pledged in keeps its size."""
    _check_packs(item, packs)
    item.full_clean()
    created = item.pk is None
    wanted = {pack.name: pack.factor for pack in packs}
    if not created:
        before = Item.objects.select_for_update().get(pk=item.pk)
        used = (
            Batch.objects.filter(item=item).exists()
            or DonationLine.objects.filter(item=item).exists()
            or RequestLine.objects.filter(item=item).exists()
        )
        if used and before.base_unit != item.base_unit:
            raise ValidationError(
                _("%(item)s is in the ledger already: its base unit stays %(unit)s.")
                % {"item": before.name, "unit": before.base_unit},
                code="base_unit",
            )
        pledged_in = set(
            DonationLine.objects.filter(item=item).values_list("unit", flat=True).distinct()
        )
        for pack in ItemUnit.objects.filter(item=item):
            if pack.name in pledged_in and wanted.get(pack.name) != pack.factor:
                raise ValidationError(
                    _("A donation was pledged in %(unit)s: that unit keeps its size.")
                    % {"unit": pack.name},
                    code="pack_pledged",
                )
    item.save()
    item.packs.exclude(name__in=list(wanted)).delete()
    for name, factor in wanted.items():
        ItemUnit.objects.update_or_create(item=item, name=name, defaults={"factor": factor})
    audit.record(
        SuppliesEvent.ITEM_SAVED,
        item,
        acting_user=acting_user,
        created=created,
        base_unit=item.base_unit,
        units={name: str(factor) for name, factor in wanted.items()},
    )
    return item


@transaction.atomic
def save_store(store: Store, keepers: Iterable[Person], *, acting_user: User) -> Store:
    """Save a store and who keeps it."""
    store.full_clean()
    created = store.pk is None
    store.save()
    keepers = list(keepers)
    store.keepers.set(keepers)
    audit.record(
        SuppliesEvent.STORE_SAVED,
        store,
        acting_user=acting_user,
        created=created,
        keepers=[person.number for person in keepers],
    )
    return store


@transaction.atomic
def set_minimum(
    store: Store, item: Item, minimum: Decimal | None, *, acting_user: User
) -> MinimumLevel | None:
    """Set the level below which a store is low on an item; None or zero clears it."""
    if minimum is not None and minimum < 0:
        raise ValidationError(_("A minimum cannot be negative."), code="negative")
    level = None
    if minimum:
        level, _created = MinimumLevel.objects.update_or_create(
            store=store, item=item, defaults={"minimum": minimum}
        )
    else:
        MinimumLevel.objects.filter(store=store, item=item).delete()
    audit.record(
        SuppliesEvent.MINIMUM_SET,
        store,
        acting_user=acting_user,
        item=item.name,
        minimum=str(minimum or 0),
    )
    return level


# Donations ---------------------------------------------------------------


@dataclass(frozen=True)
class Pledge:
    """A donation line as the donor says it: 30 箱 of 桶装方便面."""

    item: Item
    quantity: Decimal
    unit: str = ""  # blank: the item's base unit


@transaction.atomic
def save_donor(donor: Donor, *, acting_user: User) -> Donor:
    donor.full_clean()
    created = donor.pk is None
    donor.save()
    audit.record(SuppliesEvent.DONOR_SAVED, donor, acting_user=acting_user, created=created)
    return donor


def donor_for(person: Person) -> Donor:
    """The roster person's donor record, made on first use."""
    donor, _created = Donor.objects.get_or_create(
        person=person, defaults={"kind": Donor.Kind.PERSON}
    )
    return donor


@transaction.atomic
def pledge(
    donor: Donor,
    lines: Sequence[Pledge],
    *,
    unit: Unit,
    publicity: str = Donation.Publicity.NAMED,
    note: str = "",
    at: dt.datetime | None = None,
    acting_user: User,
) -> Donation:
    """Record a donation as pledged: its lines in the units the donor named."""
    if not lines:
        raise ValidationError(_("A donation needs at least one item."), code="empty")
    items = [pledged.item.pk for pledged in lines]
    if len(set(items)) != len(items):
        raise ValidationError(_("Each item may appear once in a donation."), code="duplicate")
    donation = Donation.objects.create(
        donor=donor,
        unit=unit,
        publicity=publicity,
        note=note,
        pledged_at=at or clock.now(),
        created_by=acting_user,
    )
    for position, pledged in enumerate(lines):
        if pledged.quantity <= 0:
            raise ValidationError(_("The quantity must be more than zero."), code="quantity")
        unit_name = pledged.unit or pledged.item.base_unit
        DonationLine.objects.create(
            donation=donation,
            item=pledged.item,
            unit=unit_name,
            pledged=pledged.item.to_base(pledged.quantity, unit_name),
            position=position,
        )
    audit.record(
        SuppliesEvent.DONATION_PLEDGED,
        donation,
        acting_user=acting_user,
        lines=[f"{p.item.name} {p.quantity}{p.unit or p.item.base_unit}" for p in lines],
    )
    return donation


@dataclass(frozen=True)
class Count:
    """What was counted in for a donation line, in base units."""

    received: Decimal
    expires_on: dt.date | None = None
    note: str = ""


@transaction.atomic
def receive_donation(
    donation: Donation,
    store: Store,
    counts: Mapping[int, Count],
    *,
    at: dt.datetime | None = None,
    acting_user: User,
) -> Donation:
    """Count a pledged donation in at a store: every line counted (0 if nothing
    came), a batch for each line received, the differences kept on the lines."""
    changed = Donation.objects.filter(pk=donation.pk, status=Donation.Status.PLEDGED).update(
        status=Donation.Status.RECEIVED,
        store=store,
        received_at=at or clock.now(),
        received_by=acting_user,
    )
    if changed != 1:
        raise ValidationError(_("This donation is not waiting to be counted in."), code="status")
    lines = list(donation.lines.select_related("item"))
    missing = [line.item.name for line in lines if line.pk not in counts]
    if missing:
        raise ValidationError(
            _("Count every line: %(items)s not counted.") % {"items": "、".join(missing)},
            code="missing",
        )
    for line in lines:
        count = counts[line.pk]
        if count.received < 0:
            raise ValidationError(_("A count cannot be negative."), code="negative")
        if count.received != line.pledged and not count.note.strip():
            raise ValidationError(
                _("%(item)s: %(received)s counted, %(pledged)s pledged; say why they differ.")
                % {
                    "item": line.item,
                    "received": line.item.say(count.received),
                    "pledged": line.item.say(line.pledged),
                },
                code="difference",
            )
        line.received = count.received
        line.difference_note = count.note
        line.save(update_fields=["received", "difference_note"])
        if count.received > 0:
            receive(
                store,
                line.item,
                count.received,
                line=line,
                expires_on=count.expires_on,
                at=at,
                acting_user=acting_user,
            )
    donation.refresh_from_db()
    audit.record(
        SuppliesEvent.DONATION_RECEIVED,
        donation,
        acting_user=acting_user,
        store=store.name,
        differences=[f"{line.item.name} {line.difference}" for line in lines if line.difference],
    )
    return donation


@transaction.atomic
def cancel_donation(donation: Donation, *, reason: str, acting_user: User) -> Donation:
    """A pledge that never came: only a pledged donation can be cancelled."""
    changed = Donation.objects.filter(pk=donation.pk, status=Donation.Status.PLEDGED).update(
        status=Donation.Status.CANCELLED
    )
    if changed != 1:
        raise ValidationError(_("Only a pledged donation can be cancelled."), code="status")
    donation.refresh_from_db()
    audit.record(SuppliesEvent.DONATION_CANCELLED, donation, acting_user=acting_user, reason=reason)
    return donation


@transaction.atomic
def add_donation_photos(
    donation: Donation, files: Sequence[Any], *, acting_user: User
) -> list[DonationPhoto]:
    """Keep photos of a donation (the goods as they came, the hand-over): images
    only, re-encoded without their metadata, counted towards the sender's quota."""
    if not files:
        raise ValidationError(_("Choose at least one photo."), code="empty")
    photos = DonationPhoto.store(files, uploaded_by=acting_user, donation=donation)
    audit.record(
        SuppliesEvent.DONATION_PHOTOS_ADDED,
        donation,
        acting_user=acting_user,
        photos=[photo.pk for photo in photos],
    )
    return photos


# Requests ------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """A request line: how much of an item, in the base unit."""

    item: Item
    quantity: Decimal


@transaction.atomic
def submit_request(
    requester: Person,
    lines: Sequence[Asked],
    *,
    purpose: str,
    for_unit: Unit | None = None,
    for_team: Team | None = None,
    for_person: Person | None = None,
    with_meals: bool = False,
    help_request: HelpRequest | None = None,
    at: dt.datetime | None = None,
    acting_user: User,
) -> SupplyRequest:
    """Ask for supplies for one unit, team or person; the requester's college decides."""
    if sum(1 for target in (for_unit, for_team, for_person) if target is not None) != 1:
        raise ValidationError(
            _("Say whom the supplies are for: one unit, one team or one person."), code="for"
        )
    if not lines:
        raise ValidationError(_("Ask for at least one item."), code="empty")
    items = [asked.item.pk for asked in lines]
    if len(set(items)) != len(items):
        raise ValidationError(_("Each item may appear once in a request."), code="duplicate")
    if any(asked.quantity <= 0 for asked in lines):
        raise ValidationError(_("The quantity must be more than zero."), code="quantity")
    if requester.unit_id is None:
        raise ValidationError(_("The requester belongs to no unit."), code="unit")
    if with_meals and (for_person is None or not is_isolated(for_person)):
        raise ValidationError(
            _("Only supplies for a person in isolation can go with their meals."),
            code="with_meals",
        )
    request = SupplyRequest.objects.create(
        requester=requester,
        for_unit=for_unit,
        for_team=for_team,
        for_person=for_person,
        purpose=purpose,
        unit_id=requester.unit_id,
        with_meals=with_meals,
        help_request=help_request,
        created_at=at or clock.now(),
    )
    RequestLine.objects.bulk_create(
        RequestLine(request=request, item=asked.item, asked=asked.quantity) for asked in lines
    )
    audit.record(
        SuppliesEvent.REQUEST_SUBMITTED,
        request,
        acting_user=acting_user,
        lines=[f"{asked.item.name} {asked.quantity}" for asked in lines],
    )
    _tell_deciders(request)
    return request


def is_isolated(person: Person) -> bool:
    """Whether the person is in isolation now (their supplies may go with their meals)."""
    return Isolation.objects.active().filter(person=person).exists()


def deciders_of(request: SupplyRequest) -> list[Person]:
    """Whom to tell of a new request: the keepers of the stores of its unit or
    a unit above it (who decide it), else the leaders who reach its unit;
    never the requester."""
    keepers = list(
        people_with_role(Role.STORE_KEEPER)
        .filter(kept_stores__unit__in=Unit.ancestor_ids(request.unit_id))
        .distinct()
        .order_by("number")
    )
    people = keepers or LeaderReach().over(request.unit_id)
    return [person for person in people if person.pk != request.requester_id]


def _tell_deciders(request: SupplyRequest) -> None:
    send(
        deciders_of(request),
        SUPPLIES,
        # The purpose in the body: a title holds 200 characters, a purpose as many.
        _("A supply request to decide: %(recipient)s") % {"recipient": request.recipient},
        request.purpose,
        link=request.get_absolute_url(),
        key_for=lambda person: f"supplies:{request.pk}:new:{person.pk}",
    )


def _tell_requester(request: SupplyRequest, title: str, event: str, body: str = "") -> None:
    send(
        [request.requester],
        SUPPLIES,
        title,
        body,
        link=request.get_absolute_url(),
        key_for=lambda person: f"supplies:{request.pk}:{event}:{person.pk}",
    )


@transaction.atomic
def decide_request(
    request: SupplyRequest,
    approved: Mapping[int, Decimal],
    *,
    note: str = "",
    at: dt.datetime | None = None,
    acting_user: User,
) -> SupplyRequest:
    """Approve a request whole or in part (`approved`: line pk → quantity, at
    most what was asked); nothing approved at all is a rejection, which needs a note."""
    lines = list(request.lines.select_related("item"))
    for line in lines:
        quantity = approved.get(line.pk, Decimal(0))
        if quantity < 0 or quantity > line.asked:
            raise ValidationError(
                _("%(item)s: approve between 0 and the %(asked)s asked.")
                % {"item": line.item, "asked": line.item.say(line.asked)},
                code="approved",
            )
    rejected = all(approved.get(line.pk, Decimal(0)) == 0 for line in lines)
    if rejected and not note.strip():
        raise ValidationError(_("Say why the request is refused."), code="note")
    status = SupplyRequest.Status.REJECTED if rejected else SupplyRequest.Status.APPROVED
    changed = SupplyRequest.objects.filter(
        pk=request.pk, status=SupplyRequest.Status.SUBMITTED
    ).update(
        status=status, decided_at=at or clock.now(), decided_by=acting_user, decision_note=note
    )
    if changed != 1:
        raise ValidationError(_("This request has been decided already."), code="status")
    for line in lines:
        line.approved = approved.get(line.pk, Decimal(0))
        line.save(update_fields=["approved"])
    request.refresh_from_db()
    audit.record(
        SuppliesEvent.REQUEST_DECIDED,
        request,
        acting_user=acting_user,
        status=status,
        approved={line.item.name: str(line.approved) for line in lines},
        note=note,
    )
    if rejected:
        title = _("Your supply request #%(pk)s is refused") % {"pk": request.pk}
    elif any(line.approved is not None and line.approved < line.asked for line in lines):
        title = _("Your supply request #%(pk)s is approved in part") % {"pk": request.pk}
    else:
        title = _("Your supply request #%(pk)s is approved") % {"pk": request.pk}
    _tell_requester(request, title, "decided", body=note)
    return request


@transaction.atomic
def cancel_request(request: SupplyRequest, *, acting_user: User) -> SupplyRequest:
    """The requester withdraws a request not yet issued."""
    changed = SupplyRequest.objects.filter(
        pk=request.pk,
        status__in=[SupplyRequest.Status.SUBMITTED, SupplyRequest.Status.APPROVED],
    ).update(status=SupplyRequest.Status.CANCELLED)
    if changed != 1:
        raise ValidationError(_("Only a request not yet issued can be cancelled."), code="status")
    request.refresh_from_db()
    audit.record(SuppliesEvent.REQUEST_CANCELLED, request, acting_user=acting_user)
    return request


@transaction.atomic
def issue(
    request: SupplyRequest,
    store: Store,
    *,
    batches: Mapping[int, Batch] | None = None,
    at: dt.datetime | None = None,
    acting_user: User,
) -> IssueSlip:
    """Hand out an approved request's supplies from a store on one slip: each
    line's approved quantity, first in first out (or from the batch chosen for
    the line in `batches`); OutOfStock if any line cannot be met, and then
    nothing is issued."""
    changed = SupplyRequest.objects.filter(
        pk=request.pk, status=SupplyRequest.Status.APPROVED
    ).update(status=SupplyRequest.Status.ISSUED)
    if changed != 1:
        raise ValidationError(_("Only an approved request can be issued."), code="status")
    slip = IssueSlip.objects.create(
        request=request,
        store=store,
        issued_at=at or clock.now(),
        issued_by=acting_user,
        meal_delivery=next_meal(request, at or clock.now()),
    )
    moved: list[Movement] = []
    # The items in one order for every request, so that two slips taking the
    # same items lock their balances in the same order (else PostgreSQL may
    # find them waiting on each other and abort one).
    for line in request.lines.select_related("item").order_by("item_id"):
        if not line.approved:
            continue
        moved += _take(
            Movement.Kind.ISSUED,
            store,
            line.item,
            line.approved,
            batch=(batches or {}).get(line.pk),
            acting_user=acting_user,
            slip=slip,
            at=at,
        )
    request.refresh_from_db()
    audit.record(
        SuppliesEvent.ISSUED,
        request,
        acting_user=acting_user,
        slip=slip.pk,
        store=store.name,
        meal_delivery=slip.meal_delivery_id,
    )
    _changed(movement.batch for movement in moved)
    meal = slip.meal_delivery
    if meal is not None:
        title = _("Your supplies come with your meal: %(meal)s") % {
            "meal": f"{date_format(meal.date, 'MONTH_DAY_FORMAT')} {meal.slot.name}"
        }
    else:
        title = _("Your supplies are issued at %(store)s: slip #%(slip)s") % {
            "store": store,
            "slip": slip.pk,
        }
    _tell_requester(request, title, f"slip-{slip.pk}")
    return slip


def next_meal(request: SupplyRequest, now: dt.datetime) -> MealDelivery | None:
    """For a request marked to go with the meals: the isolated person's next
    meal nobody has set out with yet (its supplies go with it), if there is one."""
    if not request.with_meals or request.for_person_id is None:
        return None
    return (
        MealDelivery.objects.filter(
            isolation__person=request.for_person_id,
            isolation__ended_at__isnull=True,
            status=MealDelivery.Status.PENDING,
            due_at__gte=now,
        )
        .select_related("slot")
        .order_by("due_at", "pk")
        .first()
    )


@transaction.atomic
def confirm_receipt(
    slip: IssueSlip,
    *,
    via: str,
    person: Person | None,
    at: dt.datetime | None = None,
    acting_user: User | None,
) -> IssueSlip:
    """The receiver confirms: the request is delivered, and a help request it
    came from is resolved (its requester confirms that, as with any help request)."""
    now = at or clock.now()
    changed = IssueSlip.objects.filter(pk=slip.pk, received_at__isnull=True).update(
        received_at=now, received_by=person, via=via
    )
    if changed != 1:
        raise ValidationError(_("This slip was confirmed already."), code="confirmed")
    SupplyRequest.objects.filter(pk=slip.request_id, status=SupplyRequest.Status.ISSUED).update(
        status=SupplyRequest.Status.DELIVERED
    )
    slip.refresh_from_db()
    audit.record(SuppliesEvent.RECEIPT_CONFIRMED, slip, acting_user=acting_user, via=via)
    help_request = HelpRequest.objects.filter(supply_request=slip.request_id).first()
    if help_request is not None:
        # Resolved by whoever issued the supplies: not the receiver, who
        # confirms the help request next, nor a volunteer who carried the
        # meal and never sees the help request.
        _resolve(help_request, slip, slip.issued_by or acting_user)
    return slip


def confirm_with_meal(delivery: MealDelivery, *, acting_user: User | None) -> list[IssueSlip]:
    """A meal was recorded at the door (care's `delivery_confirmed`): the slips
    that went with it are received by the isolated person, marked as such."""
    confirmed = []
    for slip in IssueSlip.objects.filter(
        meal_delivery=delivery, received_at__isnull=True
    ).select_related("request"):
        try:
            confirmed.append(
                confirm_receipt(
                    slip,
                    via=IssueSlip.Via.MEAL,
                    person=slip.request.for_person,
                    acting_user=acting_user,
                )
            )
        except ValidationError:
            pass  # confirmed by its receiver meanwhile
    return confirmed


def _resolve(help_request: HelpRequest, slip: IssueSlip, acting_user: User | None) -> None:
    """The supplies a help request asked for have arrived: it is resolved, through
    the help desk's own moves, and its requester is asked to confirm as with any
    help request. One the desk has moved on (confirmed, closed) is left alone."""
    if acting_user is None:
        return
    S = HelpRequest.Status
    try:
        if help_request.status == S.SUBMITTED:
            # Nobody took it: whoever issued the supplies handled it.
            helpdesk.claim(help_request, acting_user=acting_user)
        if help_request.status in helpdesk.HANDLER_MOVES[S.RESOLVED]:
            helpdesk.change_status(
                help_request,
                S.RESOLVED,
                _("supplies received (slip #%(slip)s, %(via)s)")
                % {"slip": slip.pk, "via": slip.get_via_display()},
                acting_user=acting_user,
            )
    except helpdesk.HelpdeskError:
        pass  # moved on by someone else meanwhile: nothing to resolve


def purpose_of(help_request: HelpRequest) -> str:
    """A supply request's purpose as a help request says it: its description's first line."""
    return next(iter(help_request.description.strip().splitlines()), "")[:200]


@transaction.atomic
def request_from_help(
    help_request: HelpRequest,
    lines: Sequence[Asked],
    *,
    purpose: str = "",
    with_meals: bool = False,
    acting_user: User,
) -> SupplyRequest:
    """Turn a help request for supplies (物资) into a supply request for its
    requester, in one step: the help request is taken if nobody had, marked in
    progress with the supply request's number, and resolved when the supplies
    are received (`confirm_receipt`). `purpose` defaults to the description's
    first line."""
    if help_request.category != HelpRequest.Category.SUPPLIES:
        raise ValidationError(_("Only a help request for supplies becomes a supply request."))
    if not help_request.is_open:
        raise ValidationError(_("This help request is no longer open."), code="status")
    if SupplyRequest.objects.filter(help_request=help_request).exists():
        raise ValidationError(
            _("This help request has a supply request already."), code="duplicate"
        )
    requester = help_request.requester
    request = submit_request(
        requester,
        lines,
        purpose=(purpose or purpose_of(help_request))[:200],
        for_person=requester,
        with_meals=with_meals,
        help_request=help_request,
        acting_user=acting_user,
    )
    text = _("Turned into supply request #%(pk)s") % {"pk": request.pk}
    S = HelpRequest.Status
    try:
        if help_request.status == S.SUBMITTED:
            helpdesk.claim(help_request, acting_user=acting_user)
        if help_request.status in helpdesk.HANDLER_MOVES[S.IN_PROGRESS]:
            helpdesk.change_status(help_request, S.IN_PROGRESS, text, acting_user=acting_user)
        else:
            helpdesk.reply(help_request, text, internal=False, acting_user=acting_user)
    except helpdesk.HelpdeskError as error:
        raise ValidationError(
            _("This help request changed meanwhile: open it again."), code="status"
        ) from error
    audit.record(
        SuppliesEvent.REQUEST_FROM_HELP,
        request,
        acting_user=acting_user,
        help_request=help_request.pk,
    )
    return request
