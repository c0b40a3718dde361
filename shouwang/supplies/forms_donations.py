"""Donors and donations: the donor register, a pledge and its lines, the count
at the store, a cancellation and the photos. Quantities are typed in a unit
the item is counted in and kept in its base unit (`Item.to_base`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.forms import BootstrapMixin, RadioList
from shouwang.core.uploads import MultipleFileField
from shouwang.lib.text import clean, clean_phone
from shouwang.people.forms import PersonField
from shouwang.people.models import Person, Unit

from .actions import Count, Pledge
from .models import Donation, DonationLine, DonationPhoto, Donor, Item, ItemUnit, Store, plain


class DonorForm(BootstrapMixin, forms.ModelForm):
    """A member of the college picked by number or name, or an outside donor
    with a name and a contact."""

    person = PersonField(
        people=Person.objects.all(),
        label=gettext_lazy("member of the college"),
        required=False,
        help_text=gettext_lazy("Their number (学号 or 工号) or name."),
    )

    class Meta:
        model = Donor
        fields = ["kind", "person", "name", "contact_name", "contact_phone", "note"]
        help_texts = {
            "name": gettext_lazy("For a company, an alumnus, a parent: the name to thank."),
        }

    def clean_contact_phone(self) -> str:
        # A mobile number as 11 digits; a landline as it was written (0351-7666000).
        phone = clean_phone(self.cleaned_data["contact_phone"])
        if phone is None:
            raise forms.ValidationError(_("This does not look like a phone number."))
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Donor.Kind.PERSON:
            person = data.get("person")
            if person is None:
                if not self.has_error("person"):
                    self.add_error("person", _("Give the member's number or name."))
            elif Donor.objects.filter(person=person).exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "person", _("%(name)s is in the register already.") % {"name": person}
                )
            # A member's name and phone are the roster's.
            data.update(name="", contact_name="", contact_phone="")
        elif data.get("kind"):
            data["person"] = None
            if not clean(data.get("name")):
                self.add_error("name", _("Give the donor's name."))
            if not data.get("contact_phone") and not self.has_error("contact_phone"):
                self.add_error("contact_phone", _("Give a phone number to reach the donor."))
        return data


class DonorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.person_id:
            return f"{obj.person.name}（{obj.person.number}）"
        return f"{obj.name}（{obj.get_kind_display()}）"


class PledgeForm(BootstrapMixin, forms.Form):
    """Who gives, to which college, and how they wish to be named in public."""

    donor = DonorChoice(label=gettext_lazy("donor"), queryset=Donor.objects.none())
    unit = forms.ModelChoiceField(
        label=gettext_lazy("to the college"), queryset=Unit.objects.none(), empty_label=None
    )
    publicity = forms.ChoiceField(
        label=gettext_lazy("publicity"),
        choices=Donation.Publicity.choices,
        initial=Donation.Publicity.NAMED,
        widget=RadioList,
    )
    note = forms.CharField(
        label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], unit: Unit | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        donor = self.fields["donor"]
        donor.queryset = Donor.objects.select_related("person").order_by(  # type: ignore[attr-defined]
            "kind", "name", "person__name"
        )
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if unit is not None:
            self.fields["unit"].initial = unit


def unit_choices() -> list[tuple[str, str]]:
    """Every unit some item is counted in: each row's item says which are its own."""
    names = set(Item.objects.values_list("base_unit", flat=True))
    names |= set(ItemUnit.objects.values_list("name", flat=True))
    return [("", _("base unit")), *((name, name) for name in sorted(names))]


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{'、'.join(obj.factors())}）"


class PledgeLineForm(BootstrapMixin, forms.Form):
    """One line: an item, how much, in which of its units (blank: its base unit)."""

    item = ItemChoice(label=gettext_lazy("item"), queryset=Item.objects.prefetch_related("packs"))
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity"), min_value=Decimal("0.001"), max_digits=14, decimal_places=3
    )
    unit = forms.ChoiceField(label=gettext_lazy("unit"), required=False, choices=())

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        item, quantity = data.get("item"), data.get("quantity")
        if item is not None and quantity is not None:
            unit = data.get("unit") or item.base_unit
            try:
                item.to_base(quantity, unit)
            except forms.ValidationError as error:
                self.add_error("unit", error)
        return data

    def pledge(self) -> Pledge:
        data = self.cleaned_data
        return Pledge(data["item"], data["quantity"], data.get("unit") or "")


class BasePledgeLines(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        items = [
            form.cleaned_data["item"].pk
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("item")
        ]
        if not items:
            raise forms.ValidationError(_("A donation needs at least one item."))
        if len(set(items)) != len(items):
            raise forms.ValidationError(_("Each item may appear once in a donation."))

    def pledges(self) -> list[Pledge]:
        return [form.pledge() for form in self.forms if form.cleaned_data]


PledgeLines = forms.formset_factory(PledgeLineForm, formset=BasePledgeLines, extra=5, max_num=30)


def pledge_lines(data: Any = None) -> BasePledgeLines:
    units = unit_choices()
    return PledgeLines(data, prefix="lines", form_kwargs={"units": units})  # type: ignore[return-value]


class CountForm(BootstrapMixin, forms.Form):
    """The count at the store: each line's quantity in one of its item's units,
    the expiry date of a perishable item, and why a count differs from the pledge."""

    store = forms.ModelChoiceField(label=gettext_lazy("store"), queryset=Store.objects.none())

    def __init__(
        self, *args: Any, lines: list[DonationLine], stores: QuerySet[Store], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.lines = lines
        field = self.fields["store"]
        field.queryset = stores  # type: ignore[attr-defined]
        for line in lines:
            factors = line.item.factors()
            pledged = line.pledged / factors.get(line.unit, Decimal(1))
            self.fields[f"{line.pk}-received"] = forms.DecimalField(
                label=_("%(item)s counted") % {"item": line.item.name},
                min_value=Decimal(0),
                initial=Decimal(plain(pledged)),
                max_digits=14,
                decimal_places=3,
            )
            self.fields[f"{line.pk}-unit"] = forms.ChoiceField(
                label=_("unit"), choices=[(name, name) for name in factors], initial=line.unit
            )
            if line.item.perishable:
                self.fields[f"{line.pk}-expires"] = forms.DateField(
                    label=_("expires on"),
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
            self.fields[f"{line.pk}-note"] = forms.CharField(
                label=_("about the difference"), required=False, max_length=200
            )
        # BootstrapMixin styled the fields declared on the class; these are the lines'.
        for name, extra in self.fields.items():
            if name != "store":
                css = "form-select" if isinstance(extra.widget, forms.Select) else "form-control"
                extra.widget.attrs["class"] = css

    def rows(self) -> list[dict[str, Any]]:
        """Each line with its bound fields, for the template."""
        return [
            {
                "line": line,
                "pledged": line.said(line.pledged),
                "received": self[f"{line.pk}-received"],
                "unit": self[f"{line.pk}-unit"],
                "expires": self[f"{line.pk}-expires"] if line.item.perishable else None,
                "note": self[f"{line.pk}-note"],
            }
            for line in self.lines
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.counts: dict[int, Count] = {}
        for line in self.lines:
            received = data.get(f"{line.pk}-received")
            unit = data.get(f"{line.pk}-unit")
            if received is None or not unit:
                continue
            quantity = line.item.to_base(received, unit)
            note = clean(data.get(f"{line.pk}-note"))
            if quantity != line.pledged and not note:
                self.add_error(
                    f"{line.pk}-note",
                    _("%(pledged)s were pledged: say why the count differs.")
                    % {"pledged": line.said(line.pledged)},
                )
            expires = data.get(f"{line.pk}-expires")
            if line.item.perishable and quantity > 0 and expires is None:
                self.add_error(
                    f"{line.pk}-expires",
                    _("%(item)s is perishable: give the batch's expiry date.")
                    % {"item": line.item.name},
                )
            self.counts[line.pk] = Count(quantity, expires, note)
        return data


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the pledge cancelled?"), min_length=2, max_length=200
    )


class PhotoForm(BootstrapMixin, forms.Form):
    photos = MultipleFileField(
        label=gettext_lazy("photos"),
        validators=[DonationPhoto.allowed()],
        help_text=gettext_lazy("Images only; their location and camera data are removed."),
    )
