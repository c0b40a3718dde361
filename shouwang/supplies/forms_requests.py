"""Forms of the requests: ask (lines of item, quantity and unit), decide, issue, confirm."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.forms import BootstrapMixin, RadioList
from shouwang.lib import clock
from shouwang.lib.signed_codes import CodeError
from shouwang.people.models import Unit
from shouwang.volunteers.models import Team

from .access import stores_for_user, teams_to_ask_for, units_to_ask_for
from .actions import Asked
from .models import IssueSlip, Item, ItemUnit, RequestLine, Stock, Store, SupplyRequest, plain
from .slips import slip_pk_from

if TYPE_CHECKING:
    from shouwang.accounts.models import User

QUANTITY = {"max_digits": 14, "decimal_places": 3, "min_value": Decimal("0.001")}


def all_units() -> list[tuple[str, str]]:
    """Every unit the catalogue counts in, for a line whose item is not chosen yet."""
    names = set(Item.objects.values_list("base_unit", flat=True))
    names |= set(ItemUnit.objects.values_list("name", flat=True))
    return [(name, name) for name in sorted(names)]


def said_as(item: Item, quantity: Decimal) -> tuple[Decimal, str]:
    """A base quantity as one number in the largest unit that holds it whole: (30, 箱)."""
    for unit, factor in sorted(item.factors().items(), key=lambda pair: pair[1], reverse=True):
        count = quantity / factor
        if count == count.to_integral_value():
            return count, unit
    return quantity, item.base_unit


class LineForm(BootstrapMixin, forms.Form):
    """One line of a request: an item, a quantity and the unit it is counted in."""

    item = forms.ModelChoiceField(
        label=gettext_lazy("item"), queryset=Item.objects.prefetch_related("packs")
    )
    quantity = forms.DecimalField(label=gettext_lazy("quantity"), **QUANTITY)  # type: ignore[arg-type]
    unit = forms.ChoiceField(
        label=gettext_lazy("unit"),
        required=False,
        help_text=gettext_lazy("Blank: the item's own unit."),
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item, quantity = data.get("item"), data.get("quantity")
        if item is not None and quantity is not None:
            try:
                data["asked"] = Asked(
                    item, item.to_base(quantity, data.get("unit") or item.base_unit)
                )
            except ValidationError as error:
                self.add_error("unit", error)
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        items = [form.cleaned_data["item"] for form in self.forms if form.cleaned_data]
        if not items:
            raise ValidationError(_("Ask for at least one item."))
        repeated = {item.name for item in items if items.count(item) > 1}
        if repeated:
            raise ValidationError(
                _("Each item may appear once in a request: %(items)s.")
                % {"items": "、".join(sorted(repeated))}
            )

    @property
    def asked(self) -> list[Asked]:
        return [form.cleaned_data["asked"] for form in self.forms if form.cleaned_data]


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=3, max_num=30, validate_max=True
)


def line_formset(data: Any = None, *, initial: list[dict[str, Any]] | None = None) -> Any:
    return LineFormSet(data, initial=initial, prefix="lines", form_kwargs={"units": all_units()})


class RequestForm(BootstrapMixin, forms.Form):
    """Whom the supplies are for and why; the lines come in a LineFormSet."""

    FOR_CHOICES = [
        ("self", gettext_lazy("myself")),
        ("unit", gettext_lazy("a unit")),
        ("team", gettext_lazy("a team")),
    ]

    for_whom = forms.ChoiceField(
        label=gettext_lazy("for"), choices=FOR_CHOICES, initial="self", widget=RadioList
    )
    # The querysets are the user's (see __init__).
    for_unit = forms.ModelChoiceField(
        label=gettext_lazy("unit"), queryset=Unit.objects.none(), required=False
    )
    for_team = forms.ModelChoiceField(
        label=gettext_lazy("team"), queryset=Team.objects.none(), required=False
    )
    purpose = forms.CharField(label=gettext_lazy("purpose"), max_length=200)
    with_meals = forms.BooleanField(
        label=gettext_lazy("Bring them with my meals"),
        required=False,
        help_text=gettext_lazy("You are in isolation: the volunteers bring them with a meal."),
    )

    def __init__(self, *args: Any, user: User, isolated: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["for_unit"].queryset = units_to_ask_for(user)  # type: ignore[attr-defined]
        self.fields["for_team"].queryset = teams_to_ask_for(user)  # type: ignore[attr-defined]
        if not isolated:
            del self.fields["with_meals"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        whom = data.get("for_whom")
        if whom == "unit" and not data.get("for_unit"):
            self.add_error("for_unit", _("Choose the unit."))
        if whom == "team" and not data.get("for_team"):
            self.add_error("for_team", _("Choose the team."))
        if whom != "self" and data.get("with_meals"):
            self.add_error("with_meals", _("Only your own supplies can come with your meals."))
        return data

    def recipient(self, person: Any) -> dict[str, Any]:
        """The keyword arguments of submit_request naming whom it is for."""
        whom = self.cleaned_data["for_whom"]
        if whom == "unit":
            return {"for_unit": self.cleaned_data["for_unit"]}
        if whom == "team":
            return {"for_team": self.cleaned_data["for_team"]}
        return {"for_person": person}


class HelpRequestForm(BootstrapMixin, forms.Form):
    """A help request turned into a supply request: its purpose; the lines in a LineFormSet."""

    purpose = forms.CharField(label=gettext_lazy("purpose"), max_length=200)
    with_meals = forms.BooleanField(
        label=gettext_lazy("Bring them with the meals"),
        required=False,
        help_text=gettext_lazy("The requester is in isolation: volunteers bring them with a meal."),
    )

    def __init__(self, *args: Any, isolated: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not isolated:
            del self.fields["with_meals"]


class DecideForm(BootstrapMixin, forms.Form):
    """How much of each line to approve (in a unit of the item), and a note,
    which a refusal needs. The refuse button approves nothing."""

    note = forms.CharField(
        label=gettext_lazy("note on the decision"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed to refuse; shown to the requester."),
    )

    def __init__(self, *args: Any, request: SupplyRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(request.lines.select_related("item").prefetch_related("item__packs"))
        for line in self.lines:
            count, unit = said_as(line.item, line.asked)
            self.fields[f"approved_{line.pk}"] = forms.DecimalField(
                label=line.item.name,
                initial=plain(count),
                max_digits=14,
                decimal_places=3,
                min_value=Decimal(0),
                required=False,
            )
            field = forms.ChoiceField(
                label=gettext_lazy("unit"),
                choices=[(name, name) for name in line.item.factors()],
                initial=unit,
            )
            field.widget.attrs["class"] = "form-select"
            self.fields[f"unit_{line.pk}"] = field
            self.fields[f"approved_{line.pk}"].widget.attrs["class"] = "form-control"

    @property
    def refusing(self) -> bool:
        return "refuse" in self.data

    @property
    def rows(self) -> list[tuple[RequestLine, str, Any, Any]]:
        """Each line, what was asked (said in units), and its two fields."""
        return [
            (line, line.item.say(line.asked), self[f"approved_{line.pk}"], self[f"unit_{line.pk}"])
            for line in self.lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        approved: dict[int, Decimal] = {}
        for line in self.lines:
            quantity = data.get(f"approved_{line.pk}")
            if self.refusing or quantity is None:
                approved[line.pk] = Decimal(0)
                continue
            try:
                approved[line.pk] = line.item.to_base(quantity, data.get(f"unit_{line.pk}", ""))
            except ValidationError as error:
                self.add_error(f"unit_{line.pk}", error)
        data["approved"] = approved
        return data


class StockChoice(forms.ModelChoiceField):
    """A batch's balance in a store: where, which batch, how much, until when."""

    def label_from_instance(self, obj: Any) -> str:
        batch = obj.batch
        expiry = (
            _(", expires %(day)s") % {"day": f"{batch.expires_on:%Y-%m-%d}"}
            if batch.expires_on
            else ""
        )
        return f"{obj.store} · #{batch.pk} · {obj.item.say(obj.quantity)}{expiry}"


class IssueForm(BootstrapMixin, forms.Form):
    """The store to issue from (one the user runs) and, for each line, a batch
    to take it from, else first in, first out."""

    store = forms.ModelChoiceField(label=gettext_lazy("store"), queryset=Store.objects.none())

    def __init__(self, *args: Any, request: SupplyRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stores = stores_for_user(user)
        self.fields["store"].queryset = stores  # type: ignore[attr-defined]
        self.lines = [
            line
            for line in request.lines.select_related("item").prefetch_related("item__packs")
            if line.approved
        ]
        today = clock.today()
        for line in self.lines:
            self.fields[f"batch_{line.pk}"] = StockChoice(
                label=line.item.name,
                queryset=Stock.objects.filter(
                    Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today),
                    store__in=stores,
                    item=line.item,
                    quantity__gt=0,
                )
                .select_related("store", "batch", "item")
                .prefetch_related("item__packs")
                .order_by("store__name", "batch__received_at", "batch_id"),
                required=False,
                empty_label=_("first in, first out"),
            )
            self.fields[f"batch_{line.pk}"].widget.attrs["class"] = "form-select"

    @property
    def rows(self) -> list[tuple[RequestLine, str, Any]]:
        """Each line to issue, its approved quantity said in units, and its batch field."""
        return [
            (line, line.item.say(line.approved), self[f"batch_{line.pk}"]) for line in self.lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        store = data.get("store")
        batches = {}
        for line in self.lines:
            stock = data.get(f"batch_{line.pk}")
            if stock is None:
                continue
            if store is not None and stock.store_id != store.pk:
                self.add_error(
                    f"batch_{line.pk}",
                    _("This batch is kept in %(other)s, not in %(store)s.")
                    % {"other": stock.store, "store": store},
                )
                continue
            batches[line.pk] = stock.batch
        data["batches"] = batches
        return data


class ConfirmForm(forms.Form):
    """The receiver's confirmation; `token` is the slip's code, if it was scanned."""

    token = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, slip: IssueSlip, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slip = slip

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token:
            return ""
        try:
            pk = slip_pk_from(token)
        except CodeError as error:
            raise forms.ValidationError(str(error)) from error
        if pk != self.slip.pk:
            raise forms.ValidationError(_("This code is for another slip."))
        return token

    @property
    def via(self) -> str:
        return IssueSlip.Via.QR if self.cleaned_data.get("token") else IssueSlip.Via.BUTTON
