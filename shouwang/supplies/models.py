"""Supplies: an item catalogue, donations, a stock ledger per store, requests and
the slips that hand supplies out.

Quantities are exact decimals in the item's base unit (瓶, 套, 桶, kg); a person
says them in the units they count in (箱, 斤), so every page shows them through
`Item.say`. Every change of stock is a `Movement` row; `Stock` keeps each
batch's balance in a store, written in the same transaction as the movement
that changes it and never below zero (a database check), and
`queries.ledger_mismatches` recomputes it from the movements. A batch remembers
the donation line it came from, so every issued quantity is traced to its donor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.uploads import IMAGES, MB, Attachment
from shouwang.lib import clock
from shouwang.lib.text import mask_mobile
from shouwang.people.models import Person, Unit
from shouwang.volunteers.models import Team


def quantity_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An exact quantity in an item's base unit (to the gram, the millilitre)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=3, **kwargs)


def plain(number: Decimal) -> str:
    """A decimal as a person writes it: 700, 0.5, 12.25 (no trailing zeros, no exponent)."""
    text = format(number.normalize(), "f")
    return text


class Category(models.TextChoices):
    PROTECTIVE = "protective", _("protective")
    DISINFECTION = "disinfection", _("disinfection")
    FOOD = "food", _("food")
    DAILY = "daily", _("daily necessities")
    MEDICINE = "medicine", _("medicine")
    OTHER = "other", pgettext_lazy("supplies", "other")


class Item(models.Model):
    """A kind of thing kept in stock: 防护服 in 套, 桶装方便面 in 桶 (1 箱 = 24 桶)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    base_unit = models.CharField(
        _("base unit"),
        max_length=10,
        help_text=_("The smallest unit counted, e.g. 瓶, 套, 桶, kg."),
    )
    usual_unit = models.CharField(
        _("usual unit"),
        max_length=10,
        blank=True,
        help_text=_("The unit people say when it is not a whole number of packs, e.g. 斤."),
    )
    perishable = models.BooleanField(
        _("perishable"), default=False, help_text=_("Each batch has an expiry date.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supplies:item_detail", args=[self.pk])

    def factors(self) -> dict[str, Decimal]:
        """Each unit's size in base units, the base unit included (uses prefetched packs)."""
        factors = {self.base_unit: Decimal(1)}
        factors.update({pack.name: pack.factor for pack in self.packs.all()})
        return factors

    def to_base(self, quantity: Decimal, unit: str) -> Decimal:
        """`quantity` of `unit` in base units; ValidationError for a unit the item does not have."""
        factors = self.factors()
        if unit not in factors:
            raise ValidationError(
                _("%(item)s is not counted in %(unit)s; its units are %(units)s.")
                % {"item": self.name, "unit": unit, "units": "、".join(factors)},
                code="unit",
            )
        return quantity * factors[unit]

    def say(self, quantity: Decimal | None) -> str:
        """A quantity in base units as a person says it: 30箱, 1000斤, 700瓶.

        In whole packs of the largest pack that fits exactly; otherwise in the
        usual unit, else the base unit."""
        if quantity is None:
            return ""
        quantity = Decimal(quantity)
        sign = "-" if quantity < 0 else ""
        amount = abs(quantity)
        usual = self.usual_unit or self.base_unit
        factors = self.factors()
        packs = sorted(
            (pack for pack in self.packs.all() if pack.factor > 1 and pack.name != usual),
            key=lambda pack: pack.factor,
            reverse=True,
        )
        for pack in packs:
            count, rest = divmod(amount, pack.factor)
            if count >= 1 and rest == 0:
                return f"{sign}{plain(count)}{pack.name}"
        return f"{sign}{plain(amount / factors.get(usual, Decimal(1)))}{usual}"


class ItemUnit(models.Model):
    """Another unit an item is counted in: 1 箱 = 24 桶, 1 斤 = 0.5 kg."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="packs", verbose_name=_("item"))
    name = models.CharField(_("unit"), max_length=10)
    factor = quantity_field(
        _("base units in one"), help_text=_("How many base units one of it holds.")
    )

    class Meta:
        verbose_name = _("unit of an item")
        verbose_name_plural = _("units of items")
        ordering = ["item", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="supplies_unit_once_per_item"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="supplies_unit_factor_positive"),
        ]

    def __str__(self) -> str:
        return f"1{self.name} = {plain(self.factor)}{self.item.base_unit}"


class Store(models.Model):
    """Where supplies are kept: a warehouse, a duty room. Its keepers run it."""

    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("warehouse")
        DUTY_ROOM = "duty_room", _("duty room")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=100, blank=True)
    # The college (or office) the store belongs to: its leaders see it.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="stores", verbose_name=_("unit"))
    keepers: models.ManyToManyField[Person, models.Model] = models.ManyToManyField(
        Person, related_name="kept_stores", blank=True, verbose_name=_("keepers")
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supplies:store_detail", args=[self.pk])


class MinimumLevel(models.Model):
    """Below this much of an item, a store is low on it."""

    store = models.ForeignKey(
        Store, models.CASCADE, related_name="minimums", verbose_name=_("store")
    )
    item = models.ForeignKey(Item, models.CASCADE, related_name="minimums", verbose_name=_("item"))
    minimum = quantity_field(_("minimum"))

    class Meta:
        verbose_name = _("minimum level")
        verbose_name_plural = _("minimum levels")
        constraints = [
            models.UniqueConstraint(fields=["store", "item"], name="supplies_minimum_once"),
            models.CheckConstraint(
                condition=Q(minimum__gte=0), name="supplies_minimum_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.item}"


class Donor(models.Model):
    """Who gives: a person of the roster, or someone outside with a contact."""

    class Kind(models.TextChoices):
        PERSON = "person", _("member of the college")
        COMPANY = "company", _("company")
        ALUMNI = "alumni", _("alumnus")
        PARENT = "parent", _("parent")
        OTHER = "other", pgettext_lazy("donor", "other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name=_("person"),
    )
    # An outside donor's name; a person's is the roster's.
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person", person__isnull=False) & Q(name=""))
                | (~Q(kind="person") & Q(person__isnull=True) & ~Q(name="")),
                name="supplies_donor_person_or_name",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False),
                name="supplies_donor_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id and self.person else self.name

    @property
    def masked_phone(self) -> str:
        """The contact's phone as lists show it: 138****0000."""
        return mask_mobile(self.contact_phone) if self.contact_phone else ""


class Donation(models.Model):
    class Status(models.TextChoices):
        PLEDGED = "pledged", _("pledged")
        RECEIVED = "received", pgettext_lazy("donation", "received")
        CANCELLED = "cancelled", pgettext_lazy("donation", "cancelled")

    class Publicity(models.TextChoices):
        NAMED = "named", _("named in public")
        ANONYMOUS = "anonymous", _("anonymous")

    donor = models.ForeignKey(
        Donor, models.PROTECT, related_name="donations", verbose_name=_("donor")
    )
    # The college the gift is to: its leaders and store keepers see it.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="donations", verbose_name=_("unit"))
    publicity = models.CharField(
        _("publicity"), max_length=20, choices=Publicity.choices, default=Publicity.NAMED
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLEDGED
    )
    note = models.TextField(_("note"), blank=True)
    pledged_at = models.DateTimeField(_("pledged at"), default=clock.now)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    store = models.ForeignKey(
        Store,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("received at store"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted in by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The public disclosure (捐赠公示) on the bulletin, rewritten from the ledger.
    disclosure = models.OneToOneField(
        "bulletin.Article",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="donation",
        verbose_name=_("disclosure"),
    )

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-pledged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="received") | Q(store__isnull=False, received_at__isnull=False),
                name="supplies_received_donation_has_store",
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.pledged_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:donation_detail", args=[self.pk])

    @property
    def public_donor(self) -> str:
        """The donor as the public reads it: the name, or 匿名 as they wished."""
        if self.publicity == self.Publicity.ANONYMOUS:
            return str(_("anonymous donor"))
        return self.donor.display_name

    def items_said(self, *, received: bool = False) -> str:
        """The lines as a sentence says them, pledged or as counted in:
        防护服100套、免洗手消毒液700瓶."""
        return "、".join(
            f"{line.item.name}{line.said(line.received if received else line.pledged)}"
            for line in self.lines.all()
            if not received or line.received
        )


class DonationLine(models.Model):
    """One item of a donation: pledged in the unit the donor named, counted in at the store."""

    donation = models.ForeignKey(
        Donation, models.CASCADE, related_name="lines", verbose_name=_("donation")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    unit = models.CharField(_("unit"), max_length=10)
    pledged = quantity_field(_("pledged"))
    received = quantity_field(_("received"), null=True, blank=True)
    difference_note = models.CharField(_("about the difference"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("donation line")
        verbose_name_plural = _("donation lines")
        ordering = ["donation", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pledged__gt=0), name="supplies_pledged_positive"),
            models.CheckConstraint(
                condition=Q(received__isnull=True) | Q(received__gte=0),
                name="supplies_received_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.item.say(self.pledged)}"

    @property
    def difference(self) -> Decimal | None:
        """Counted minus pledged, once counted."""
        return None if self.received is None else self.received - self.pledged

    def said(self, quantity: Decimal | None) -> str:
        """A quantity of this line in the unit the donor named when it is whole, else `Item.say`."""
        if quantity is None:
            return ""
        factor = self.item.factors().get(self.unit)
        if factor:
            count = quantity / factor
            if count == count.to_integral_value():
                return f"{plain(count)}{self.unit}"
        return self.item.say(quantity)


class DonationPhoto(Attachment):
    folder = "supplies/donations"
    kinds = IMAGES
    max_bytes = 10 * MB

    donation = models.ForeignKey(
        Donation, models.CASCADE, related_name="photos", verbose_name=_("donation")
    )

    class Meta(Attachment.Meta):
        verbose_name = _("donation photo")
        verbose_name_plural = _("donation photos")

    def get_absolute_url(self) -> str:
        return reverse("supplies:donation_photo", args=[self.donation_id, self.pk])


class Batch(models.Model):
    """What came in at once: a donation line counted in, or a purchase; with an
    expiry date if perishable."""

    item = models.ForeignKey(Item, models.PROTECT, related_name="batches", verbose_name=_("item"))
    line = models.ForeignKey(
        DonationLine,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("donation line"),
    )
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("Where it came from if not donated.")
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=clock.now)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        expiry = f" {self.expires_on:%Y-%m-%d}" if self.expires_on else ""
        return f"{self.item} #{self.pk}{expiry}"

    def is_expired(self, day: dt.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (day or clock.today())


class Stock(models.Model):
    """A batch's balance in a store, kept with each movement; never below zero."""

    batch = models.ForeignKey(Batch, models.PROTECT, related_name="stocks", verbose_name=_("batch"))
    store = models.ForeignKey(Store, models.PROTECT, related_name="stocks", verbose_name=_("store"))
    # The item again, so that a store's stock on hand is one grouped read.
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = quantity_field(_("quantity"), default=Decimal(0))

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["batch", "store"], name="supplies_stock_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="supplies_stock_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["store", "item"])]

    def __str__(self) -> str:
        return f"{self.store} {self.batch}: {self.quantity}"


class IssueSlip(models.Model):
    """One handing-out of a request's supplies from a store (发放单), confirmed by the receiver."""

    class Via(models.TextChoices):
        QR = "qr", _("scanned the slip's code")
        BUTTON = "button", _("pressed the button")
        MEAL = "meal", _("with a meal")

    request = models.ForeignKey(
        "SupplyRequest", models.PROTECT, related_name="slips", verbose_name=_("request")
    )
    store = models.ForeignKey(Store, models.PROTECT, related_name="slips", verbose_name=_("store"))
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    via = models.CharField(_("confirmed by"), max_length=10, choices=Via.choices, blank=True)
    # For an isolated person: the meal it is carried with.
    meal_delivery = models.ForeignKey(
        "care.MealDelivery",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="supply_slips",
        verbose_name=_("with the meal"),
    )

    class Meta:
        verbose_name = _("issue slip")
        verbose_name_plural = _("issue slips")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.store} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:slip_detail", args=[self.pk])

    @property
    def is_received(self) -> bool:
        return self.received_at is not None


class Stocktake(models.Model):
    """A count of a store (盘点): counted against computed, each difference
    adjusted with the reason."""

    store = models.ForeignKey(
        Store, models.PROTECT, related_name="stocktakes", verbose_name=_("store")
    )
    at = models.DateTimeField(_("counted at"), default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    reason = models.CharField(_("reason for the differences"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.store} {self.at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:stocktake_detail", args=[self.pk])


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(
        Stocktake, models.CASCADE, related_name="lines", verbose_name=_("stocktake")
    )
    batch = models.ForeignKey(Batch, models.PROTECT, related_name="+", verbose_name=_("batch"))
    computed = quantity_field(_("computed"))
    counted = quantity_field(_("counted"))

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "batch"], name="supplies_count_once"),
            models.CheckConstraint(
                condition=Q(counted__gte=0), name="supplies_counted_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch}: {self.counted} / {self.computed}"

    @property
    def difference(self) -> Decimal:
        return self.counted - self.computed


class Movement(models.Model):
    """One row of the ledger: a batch's quantity into (+) or out of (−) a store."""

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("movement", "received")
        ISSUED = "issued", pgettext_lazy("movement", "issued")
        TRANSFER_OUT = "transfer_out", _("transferred out")
        TRANSFER_IN = "transfer_in", _("transferred in")
        ADJUSTED = "adjusted", _("adjusted after a count")
        WRITTEN_OFF = "written_off", _("written off")

    class Cause(models.TextChoices):
        EXPIRED = "expired", _("expired")
        DAMAGED = "damaged", _("damaged")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    batch = models.ForeignKey(
        Batch, models.PROTECT, related_name="movements", verbose_name=_("batch")
    )
    store = models.ForeignKey(
        Store, models.PROTECT, related_name="movements", verbose_name=_("store")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    delta = quantity_field(_("change"))
    at = models.DateTimeField(_("at"), default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    slip = models.ForeignKey(
        IssueSlip,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("issue slip"),
    )
    stocktake = models.ForeignKey(
        Stocktake,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("stocktake"),
    )
    # The other store of a transfer.
    other_store = models.ForeignKey(
        Store,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other store"),
    )

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["store", "item", "at"]),
            models.Index(fields=["batch", "store"]),
            models.Index(fields=["kind", "batch"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="supplies_movement_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["received", "transfer_in"], delta__gt=0)
                | Q(kind__in=["issued", "transfer_out", "written_off"], delta__lt=0)
                | Q(kind="adjusted"),
                name="supplies_movement_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.batch} {self.delta}"


class SupplyRequest(models.Model):
    """A request for supplies for a unit, a team (a dorm building's, the isolation
    care team) or a person; decided whole or in part, then issued on a slip."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("supply request", "submitted")
        APPROVED = "approved", pgettext_lazy("supply request", "approved")
        REJECTED = "rejected", pgettext_lazy("supply request", "rejected")
        ISSUED = "issued", pgettext_lazy("supply request", "issued")
        DELIVERED = "delivered", pgettext_lazy("supply request", "delivered")
        CANCELLED = "cancelled", pgettext_lazy("supply request", "cancelled")

    OPEN = (Status.SUBMITTED, Status.APPROVED, Status.ISSUED)

    requester = models.ForeignKey(
        Person, models.PROTECT, related_name="supply_requests", verbose_name=_("requested by")
    )
    for_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_requests",
        verbose_name=_("for the unit"),
    )
    for_team = models.ForeignKey(
        Team,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_requests",
        verbose_name=_("for the team"),
    )
    for_person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supplies_received",
        verbose_name=_("for the person"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    # The unit whose leaders decide it (the requester's college).
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("decided by the unit")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    created_at = models.DateTimeField(_("requested at"), default=clock.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)
    help_request = models.OneToOneField(
        "helpdesk.HelpRequest",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="supply_request",
        verbose_name=_("help request"),
    )
    # An isolated person's supplies go with their next meal.
    with_meals = models.BooleanField(_("with the meals"), default=False)

    class Meta:
        verbose_name = _("supply request")
        verbose_name_plural = _("supply requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_unit__isnull=False, for_team__isnull=True, for_person__isnull=True)
                | Q(for_unit__isnull=True, for_team__isnull=False, for_person__isnull=True)
                | Q(for_unit__isnull=True, for_team__isnull=True, for_person__isnull=False),
                name="supplies_request_for_one",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("supplies:request_detail", args=[self.pk])

    @property
    def recipient(self) -> str:
        """Whom it is for, by name: for the pages of those who may see the request."""
        return str(self.for_unit or self.for_team or self.for_person)

    @property
    def public_recipient(self) -> str:
        """Whom it went to, as the public reads it: a unit or a team, never a person's name."""
        if self.for_unit_id:
            return str(self.for_unit)
        if self.for_team_id:
            return str(self.for_team)
        return str(_("individual students and staff"))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_partial(self) -> bool:
        """Approved for less than was asked."""
        return any(
            line.approved is not None and line.approved < line.asked for line in self.lines.all()
        )


class RequestLine(models.Model):
    request = models.ForeignKey(
        SupplyRequest, models.CASCADE, related_name="lines", verbose_name=_("request")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    asked = quantity_field(_("asked"))
    approved = quantity_field(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="supplies_line_once_per_item"),
            models.CheckConstraint(condition=Q(asked__gt=0), name="supplies_asked_positive"),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | Q(approved__gte=0),
                name="supplies_approved_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.item.say(self.asked)}"
