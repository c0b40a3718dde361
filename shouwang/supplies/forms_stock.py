"""The forms of the catalogue, the stores and the stock ledger.

A quantity is typed in a unit the item is counted in (its base unit or one of
its packs) and converted with `Item.to_base`; the actions check what the
ledger must hold (stock there, a batch not expired, a reason for a count's
difference), the forms what a person typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.forms import BootstrapMixin
from shouwang.people.forms import PeopleField
from shouwang.people.models import Unit

from .actions import Pack
from .models import Batch, Item, ItemUnit, Movement, Stock, Store

# The ledger keeps three decimals of the base unit: a gram, a millilitre.
LEDGER_STEP = Decimal("0.001")


def quantity_field(**kwargs: Any) -> forms.DecimalField:
    kwargs.setdefault("label", gettext_lazy("quantity"))
    return forms.DecimalField(max_digits=14, decimal_places=3, **kwargs)


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def catalogue_units() -> list[tuple[str, str]]:
    """Every unit of the catalogue, the item's base unit first; the form checks
    that the item chosen is counted in it."""
    names = set(Item.objects.values_list("base_unit", flat=True)) | set(
        ItemUnit.objects.values_list("name", flat=True)
    )
    return [("", _("base unit")), *((name, name) for name in sorted(names))]


def in_base_units(
    form: forms.Form, item: Item, quantity: Decimal, unit: str, field: str = "quantity"
) -> Decimal | None:
    """`quantity` of `unit` (blank: the base unit) in the item's base unit, or
    None with the error on the form."""
    try:
        base = item.to_base(quantity, unit or item.base_unit)
    except ValidationError as error:
        form.add_error(field, error)
        return None
    if base != base.quantize(LEDGER_STEP):
        form.add_error(
            field,
            _("That is finer than the ledger counts: at most three decimals of %(unit)s.")
            % {"unit": item.base_unit},
        )
        return None
    return base


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.base_unit}）"


def item_field(**kwargs: Any) -> ItemChoiceField:
    return ItemChoiceField(
        queryset=Item.objects.order_by("category", "name"), label=gettext_lazy("item"), **kwargs
    )


class QuantityForm(BootstrapMixin, forms.Form):
    """An item and how much of it, in a unit it is counted in."""

    item = item_field()
    quantity = quantity_field(min_value=LEDGER_STEP)
    unit = forms.ChoiceField(label=gettext_lazy("unit"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = catalogue_units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item, quantity = data.get("item"), data.get("quantity")
        if item is not None and quantity is not None:
            data["base_quantity"] = in_base_units(self, item, quantity, data.get("unit", ""))
        return data


# The catalogue -----------------------------------------------------------


class ItemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "category", "base_unit", "usual_unit", "perishable", "note"]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "桶装方便面"}),
            "base_unit": forms.TextInput(attrs={"placeholder": "桶"}),
        }

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_base_unit(self) -> str:
        return self.cleaned_data["base_unit"].strip()

    def clean_usual_unit(self) -> str:
        return self.cleaned_data["usual_unit"].strip()


class PackForm(BootstrapMixin, forms.Form):
    """One more unit of the item: its name and how many base units it holds."""

    name = forms.CharField(
        label=gettext_lazy("unit"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "箱"}),
    )
    factor = quantity_field(
        label=gettext_lazy("base units in one"),
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": "24", "step": "any"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, factor = (data.get("name") or "").strip(), data.get("factor")
        data["name"] = name
        if name and factor is None:
            self.add_error(
                "factor", _("Say how many base units one %(unit)s holds.") % {"unit": name}
            )
        elif factor is not None and not name:
            self.add_error("name", _("Name the unit."))
        elif factor is not None and factor <= 0:
            self.add_error("factor", _("A unit holds more than zero of the base unit."))
        return data


class BasePackFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [form.cleaned_data["name"] for form in self.forms if form.cleaned_data.get("name")]
        if len(set(names)) != len(names):
            raise ValidationError(_("Each unit may be named once."))

    def packs(self) -> list[Pack]:
        return [
            Pack(form.cleaned_data["name"], form.cleaned_data["factor"])
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


PackFormSet = formset_factory(PackForm, formset=BasePackFormSet, extra=2)


def pack_formset(data: Any, item: Item | None) -> BasePackFormSet:
    initial = (
        [{"name": pack.name, "factor": pack.factor} for pack in item.packs.all()] if item else []
    )
    return PackFormSet(data, initial=initial, prefix="packs")  # type: ignore[return-value]  # formset_factory's type names the base class only


# The stores --------------------------------------------------------------


class StoreForm(BootstrapMixin, forms.ModelForm):
    keepers = PeopleField(
        label=gettext_lazy("keepers"),
        required=False,
        help_text=gettext_lazy(
            "Staff numbers (工号) or names, separated by 、 or commas. A keeper runs"
            " the store once an admin has given them the store-keeper role."
        ),
    )

    class Meta:
        model = Store
        fields = ["name", "kind", "place", "unit"]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["keepers"] = list(self.instance.keepers.all())


class MinimumForm(QuantityForm):
    """The level below which the store is low on an item; 0 clears it."""

    quantity = quantity_field(label=gettext_lazy("minimum"), min_value=0)


# The ledger --------------------------------------------------------------


class ReceiveForm(QuantityForm):
    """Stock bought, or sent from elsewhere: a new batch."""

    source = forms.CharField(
        label=gettext_lazy("source"),
        max_length=100,
        help_text=gettext_lazy(
            "Where it came from: bought from whom, or sent by whom. Donations are counted"
            " in from the donation's page."
        ),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("expires on"),
        required=False,
        widget=date_widget(),
        help_text=gettext_lazy("Needed for a perishable item."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        item = data.get("item")
        if item is not None and item.perishable and not data.get("expires_on"):
            self.add_error(
                "expires_on",
                _("%(item)s is perishable: give the batch's expiry date.") % {"item": item},
            )
        return data


class TransferForm(QuantityForm):
    """Stock moved to another store the user runs, oldest batches first."""

    to_store = forms.ModelChoiceField(
        queryset=Store.objects.none(), label=gettext_lazy("to the store")
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False)

    def __init__(self, *args: Any, stores: QuerySet[Store], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_store"].queryset = stores  # type: ignore[attr-defined]


class StockChoiceField(forms.ModelChoiceField):
    """A batch held in the store, named with its item, expiry and balance."""

    def label_from_instance(self, obj: Any) -> str:
        batch = obj.batch
        expiry = f" · {_('expires')} {batch.expires_on:%Y-%m-%d}" if batch.expires_on else ""
        return f"{obj.item.name} #{batch.pk}{expiry} · {obj.item.say(obj.quantity)}"


class WriteOffForm(BootstrapMixin, forms.Form):
    """An expired or damaged quantity of one batch taken out of stock."""

    batch = StockChoiceField(
        queryset=Stock.objects.none(), to_field_name="batch", label=gettext_lazy("batch")
    )
    quantity = quantity_field(min_value=LEDGER_STEP)
    unit = forms.ChoiceField(label=gettext_lazy("unit"), required=False)
    cause = forms.ChoiceField(label=gettext_lazy("cause"), choices=Movement.Cause.choices)
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed for damaged stock: what happened."),
    )

    def __init__(self, *args: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = (  # type: ignore[attr-defined]
            Stock.objects.filter(store=store, quantity__gt=0)
            .select_related("batch", "item")
            .prefetch_related("item__packs")
            .order_by("item__name", "batch__expires_on", "batch_id")
        )
        self.fields["unit"].choices = catalogue_units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stock, quantity = data.get("batch"), data.get("quantity")
        if stock is not None and quantity is not None:
            data["base_quantity"] = in_base_units(self, stock.item, quantity, data.get("unit", ""))
        if data.get("cause") == Movement.Cause.DAMAGED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say what happened to the damaged stock."))
        return data


class StocktakeForm(BootstrapMixin, forms.Form):
    """A count of the store: for each batch in stock, what was counted (blank:
    not counted) in one of the item's units; a difference needs the reason."""

    reason = forms.CharField(
        label=gettext_lazy("reason for the differences"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed when a count differs from the computed stock."),
    )

    def __init__(self, *args: Any, stocks: list[Stock], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stocks = stocks
        # Added after BootstrapMixin styled the declared fields: styled here.
        for stock in stocks:
            item = stock.item
            self.fields[f"count_{stock.batch_id}"] = quantity_field(
                label=f"{item.name} #{stock.batch_id}",
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
            self.fields[f"unit_{stock.batch_id}"] = forms.ChoiceField(
                label=gettext_lazy("unit"),
                choices=[(name, name) for name in item.factors()],
                initial=item.usual_unit or item.base_unit,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def rows(self) -> list[tuple[Stock, forms.BoundField, forms.BoundField]]:
        return [
            (stock, self[f"count_{stock.batch_id}"], self[f"unit_{stock.batch_id}"])
            for stock in self.stocks
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        counts: dict[Batch, Decimal] = {}
        for stock in self.stocks:
            counted = data.get(f"count_{stock.batch_id}")
            if counted is None:
                continue
            unit = data.get(f"unit_{stock.batch_id}", "")
            base = in_base_units(self, stock.item, counted, unit, f"count_{stock.batch_id}")
            if base is not None:
                counts[stock.batch] = base
        if not counts and not self.errors:
            raise ValidationError(_("Enter the count of at least one batch."))
        data["counts"] = counts
        return data


class MovementFilterForm(BootstrapMixin, forms.Form):
    item = item_field(required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("kind"),
        required=False,
        choices=[("", gettext_lazy("every kind")), *Movement.Kind.choices],
    )
