from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList, datetime_widget
from shouwang.lib import clock
from shouwang.lib.signed_codes import CodeError
from shouwang.people.access import people_for_user
from shouwang.people.models import Person
from shouwang.screening.access import flags_for_user
from shouwang.screening.models import Flag

from .labels import delivery_pk_from
from .models import CareContact, Isolation, IsolationRoom, MealDelivery, MealSlot

if TYPE_CHECKING:
    from shouwang.accounts.models import User

PLACES = [("dorm", _("their own dormitory room")), ("room", _("an isolation room"))]
CARE_KINDS = [(CareContact.Kind.CARD, _("card")), (CareContact.Kind.VIDEO, _("video"))]
LOG_KINDS = [(CareContact.Kind.CALL, _("call")), (CareContact.Kind.VISIT, _("visit"))]


class IsolationForm(BootstrapMixin, forms.Form):
    number = forms.CharField(
        label=_("student or staff number"),
        max_length=32,
        error_messages={"required": _("Enter the number of the person to isolate.")},
    )
    place = forms.ChoiceField(label=_("where"), choices=PLACES, widget=RadioList, initial="dorm")
    room = forms.ModelChoiceField(
        label=_("isolation room"),
        queryset=IsolationRoom.objects.filter(is_active=True),
        required=False,
        empty_label=_("— choose a room —"),
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        error_messages={"required": _("Say why this person is isolated.")},
    )
    dietary_note = forms.CharField(
        label=_("dietary note"),
        max_length=200,
        required=False,
        help_text=_("Shown to the volunteers who carry the meals, e.g. 清真, 不吃辣."),
    )
    started_at = forms.DateTimeField(label=_("start"), widget=datetime_widget())
    planned_end = forms.DateField(
        label=_("planned end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    flag = forms.ModelChoiceField(
        queryset=Flag.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = people_for_user(user).filter(kind=Person.Kind.STUDENT)
        self.fields["flag"].queryset = flags_for_user(user)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("started_at", clock.now().replace(second=0, microsecond=0))
            self.initial.setdefault("planned_end", clock.today() + dt.timedelta(days=7))

    def clean_number(self) -> Person:
        number = self.cleaned_data["number"].strip()
        person = self.scope.select_related("dorm_room").filter(number=number).first()
        if person is None:
            raise forms.ValidationError(
                _("No student numbered %(number)s among the students you look after."),
                params={"number": number},
            )
        if Isolation.objects.active().filter(person=person).exists():
            raise forms.ValidationError(
                _("%(name)s is already in isolation: end it first."), params={"name": person.name}
            )
        return person

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person = data.get("number")
        if data.get("place") == "room":
            room = data.get("room")
            if room is None:
                self.add_error("room", _("Choose the isolation room."))
        elif isinstance(person, Person) and person.dorm_room_id is None:
            self.add_error(
                "place",
                _("%(name)s has no dormitory room on record: choose an isolation room.")
                % {"name": person.name},
            )
        start, end = data.get("started_at"), data.get("planned_end")
        if start and end and end < start.date():
            self.add_error("planned_end", _("The planned end cannot be before the start."))
        flag = data.get("flag")
        if flag and isinstance(person, Person) and flag.person_id != person.pk:
            self.add_error("number", _("This is not the person the screening flag is about."))
        return data


class EndIsolationForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say how the isolation ended, e.g. 两次核酸阴性.")},
    )


class ContactLogForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LOG_KINDS, widget=RadioList, initial="call")
    body = forms.CharField(
        label=_("what was said or done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down what was said or done.")},
    )


class CardForm(BootstrapMixin, forms.Form):
    isolation = forms.ModelChoiceField(
        label=_("to"),
        queryset=Isolation.objects.none(),
        empty_label=_("— choose a room —"),
        error_messages={"required": _("Choose whom the card is for.")},
    )
    kind = forms.ChoiceField(label=_("kind"), choices=CARE_KINDS, widget=RadioList, initial="card")
    body = forms.CharField(
        label=_("message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a few words.")},
    )
    link = forms.URLField(
        label=_("video link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the video's full address, starting with https://.")},
    )
    signed = forms.CharField(
        label=_("a line below your name (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "The card shows your own name and role; here you may add your team, "
            "or “and the classmates of 2021 class 1”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["isolation"]
        field.queryset = Isolation.objects.active().select_related("dorm_room", "room")  # type: ignore[attr-defined]
        # Writers see the door, not the name: a card is to "the student in B-312".
        field.label_from_instance = lambda isolation: str(isolation.place)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == CareContact.Kind.VIDEO and not data.get("link"):
            self.add_error("link", _("A video needs its link."))
        return data


class ConfirmForm(forms.Form):
    """The confirm button; `token` is the door label's, if it was scanned."""

    token = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, delivery: MealDelivery, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.delivery = delivery

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token:
            return ""
        try:
            pk = delivery_pk_from(token)
        except CodeError as error:
            raise forms.ValidationError(str(error)) from error
        if pk != self.delivery.pk:
            raise forms.ValidationError(_("This door label is for another delivery."))
        return token

    @property
    def via(self) -> str:
        return MealDelivery.Via.QR if self.cleaned_data.get("token") else MealDelivery.Via.BUTTON


class ProblemForm(BootstrapMixin, forms.Form):
    problem = forms.ChoiceField(
        label=_("what went wrong"),
        choices=MealDelivery.Problem.choices,
        widget=RadioList,
        error_messages={"required": _("Choose what went wrong.")},
    )
    note = forms.CharField(
        label=_("note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandleForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("what was done"),
        max_length=300,
        error_messages={"required": _("Say what was done, e.g. 已补送一份午餐.")},
    )


class DayForm(forms.Form):
    """Which day's (and meal's) deliveries: today unless asked."""

    date = forms.DateField(required=False)
    slot = forms.ModelChoiceField(queryset=MealSlot.objects.all(), required=False)
    # One state only (?status=missed): the meals the leaders' cockpit counts.
    status = forms.ChoiceField(choices=MealDelivery.Status.choices, required=False)

    @property
    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return clock.today()

    @property
    def chosen_slot(self) -> MealSlot | None:
        return self.cleaned_data.get("slot") if self.is_valid() else None

    @property
    def chosen_status(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""
