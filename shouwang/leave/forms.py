"""The forms of leave: asking (on a phone), deciding, changing an approved
leave, following the requests, and configuring the kinds, chains and posts."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList
from shouwang.core.uploads import MultipleFileField
from shouwang.lib import clock, divisions
from shouwang.lib.text import clean_phone
from shouwang.people.models import AdminClass, Person

from .models import ChainStep, LeaveAttachment, LeaveKind, LeaveRequest, LeaveStep, Post

# A leave asked now starts at the next half hour: nobody leaves at 09:17.
ROUND_TO_MINUTES = 30
END_OF_DAY = dt.time(23, 59)
# Big, thumb-sized choices that need no JavaScript.
TOGGLE = {"class": "btn-check", "autocomplete": "off"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def default_times(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From now, rounded up to the next half hour, until the end of that day."""
    midnight = clock.at(timezone.localtime(now).date(), dt.time())
    step = dt.timedelta(minutes=ROUND_TO_MINUTES)
    start = timezone.localtime(midnight + -(-(now - midnight) // step) * step)
    return start, clock.at(start.date(), END_OF_DAY)


def city_choices(province: str) -> list[tuple[str, str]]:
    cities = divisions.city_choices(province)
    if not cities:
        return [("", str(_("Choose the province first")))]
    return [("", str(_("Choose a city"))), *cities]


class KindChoice(forms.ModelChoiceField):
    """A kind of leave, each option saying whether it asks for a destination
    (the page hides the destination for those that do not)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class RequestForm(forms.Form):
    """A request for leave as a person asks it on a phone: a kind, from and
    until, where to, why, documents, whom to call."""

    kind = KindChoice(
        label=_("Kind of leave"),
        queryset=LeaveKind.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={
            "required": _("Choose the kind of leave."),
            "invalid_choice": _("This kind of leave is not offered to you."),
        },
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=date_input(),
        error_messages={"required": _("Give the day the leave starts.")},
    )
    starts_time = forms.TimeField(
        label=_("at"), widget=time_input(), error_messages={"required": _("Give the time.")}
    )
    ends_on = forms.DateField(
        label=_("Until"),
        widget=date_input(),
        error_messages={"required": _("Give the day the leave ends.")},
    )
    ends_time = forms.TimeField(
        label=_("at"), widget=time_input(), error_messages={"required": _("Give the time.")}
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=lambda: [("", _("Choose a province")), *divisions.province_choices()],
        # The check-in page's city list follows the chosen province.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("checkins:today"),
                "hx-trigger": "change",
                "hx-target": "#city-field",
                "hx-swap": "outerHTML",
            }
        ),
        error_messages={"invalid_choice": _("Choose a province from the list.")},
    )
    city = forms.CharField(label=_("City"), required=False, widget=forms.Select)
    address = forms.CharField(
        label=_("Where exactly (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "山西省人民医院"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why you ask for leave."),
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    documents = MultipleFileField(
        label=_("Documents (a doctor's note …)"),
        required=False,
        validators=[LeaveAttachment.allowed()],
    )
    contact_name = forms.CharField(
        label=_("Emergency contact"),
        max_length=50,
        error_messages={"required": _("Name someone to call in an emergency.")},
    )
    contact_phone = forms.CharField(
        label=_("Their phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Give their phone number.")},
    )

    # Where each error of `actions.check_request` belongs on this form.
    ERROR_FIELDS = {"starts_at": "starts_on", "ends_at": "ends_on", "files": "documents"}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.kinds = list(offered_kinds(person))
        kind = cast(KindChoice, self.fields["kind"])
        kind.queryset = LeaveKind.objects.filter(pk__in=[k.pk for k in self.kinds])
        for name, field in self.fields.items():
            if name == "kind":
                continue
            # Thumb-sized controls.
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-lg"
        city = cast(forms.Select, self.fields["city"].widget)
        city.choices = city_choices(self.chosen_province())

    def chosen_province(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("province"), "")
        return self.initial.get("province", "") or ""

    def kind_options(self) -> list[tuple[Any, LeaveKind]]:
        """The kind's radio buttons with their kinds, for the page to mark those
        that ask for a destination."""
        return [(option, option.data["value"].instance) for option in self["kind"]]

    def chosen_kind(self) -> LeaveKind | None:
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        for kind in self.kinds:
            if str(kind.pk) == str(getattr(value, "pk", value)):
                return kind
        return None

    def clean_contact_phone(self) -> str:
        phone = clean_phone(self.cleaned_data["contact_phone"])
        if not phone:
            raise ValidationError(_("Give a phone number, such as 13800138000 or 0351-7666000."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for part in ("starts", "ends"):
            day, time = data.get(f"{part}_on"), data.get(f"{part}_time")
            data[f"{part}_at"] = clock.at(day, time) if day and time else None
        kind = data.get("kind")
        if kind is not None and not kind.needs_destination:
            data["province"] = data["city"] = data["address"] = ""
            return data
        province, city = data.get("province", ""), data.get("city", "")
        if kind is not None and "province" not in self.errors:
            if not province:
                self.add_error("province", _("Choose the province you are going to."))
            elif not city:
                self.add_error("city", _("Give the city you are going to."))
            elif not divisions.is_city_of(city, province):
                self.add_error(
                    "city",
                    _("That city is not in %(province)s: choose one of its cities.")
                    % {"province": divisions.label(province)},
                )
        return data

    def fill(self, leave: LeaveRequest) -> LeaveRequest:
        """The cleaned answers written on `leave` (not saved)."""
        data = self.cleaned_data
        leave.person = self.person
        leave.kind = data["kind"]
        leave.starts_at, leave.ends_at = data["starts_at"], data["ends_at"]
        for name in ("province", "city", "address", "reason", "contact_name", "contact_phone"):
            setattr(leave, name, data[name].strip())
        return leave

    def add_errors(self, error: ValidationError) -> None:
        """Errors of `actions.check_request` (or a refused upload) on their fields."""
        if not hasattr(error, "error_dict"):
            self.add_error("documents" if error.code == "upload_quota" else None, error)
            return
        for name, messages in error.message_dict.items():
            field = self.ERROR_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, messages)

    @staticmethod
    def initial_for(person: Person, now: dt.datetime) -> dict[str, Any]:
        """A new request's defaults: from now until the end of the day, and the
        emergency contact of the person's last request."""
        start, end = default_times(now)
        initial: dict[str, Any] = {
            "starts_on": start.date(),
            "starts_time": start.time(),
            "ends_on": end.date(),
            "ends_time": end.time(),
        }
        last = (
            LeaveRequest.objects.filter(person=person)
            .order_by("-submitted_at", "-pk")
            .values("contact_name", "contact_phone")
            .first()
        )
        if last:
            initial.update(last)
        return initial

    @staticmethod
    def initial_from(leave: LeaveRequest) -> dict[str, Any]:
        """A returned request's answers, to change and send again."""
        start, end = leave.local_start, leave.local_end
        return {
            "kind": leave.kind_id,
            "starts_on": start.date(),
            "starts_time": start.time(),
            "ends_on": end.date(),
            "ends_time": end.time(),
            "province": leave.province,
            "city": leave.city,
            "address": leave.address,
            "reason": leave.reason,
            "contact_name": leave.contact_name,
            "contact_phone": leave.contact_phone,
        }


def offered_kinds(person: Person) -> QuerySet[LeaveKind]:
    """The active kinds a person may ask for (a few rows: filtered here)."""
    kinds = LeaveKind.objects.filter(active=True)
    return kinds.filter(pk__in=[kind.pk for kind in kinds if kind.offered_to(person)])


OUTCOMES = [
    (LeaveStep.Event.APPROVED, _("approve")),
    (LeaveStep.Event.REJECTED, _("reject")),
    (LeaveStep.Event.RETURNED, _("return for changes")),
]


class DecisionForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=OUTCOMES,
        widget=RadioList,
        error_messages={
            "required": _("Choose approve, reject or return."),
            "invalid_choice": _("Choose approve, reject or return."),
        },
    )
    note = forms.CharField(
        label=_("Reason (needed to reject or return)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangeForm(BootstrapMixin, forms.Form):
    """Extend an approved leave (to a later end) or cancel it."""

    change = forms.ChoiceField(
        label=_("Change"),
        choices=LeaveRequest.Change.choices,
        widget=RadioList,
        error_messages={
            "required": _("Choose to extend or to cancel the leave."),
            "invalid_choice": _("Choose to extend or to cancel the leave."),
        },
    )
    ends_on = forms.DateField(label=_("New end (to extend)"), required=False, widget=date_input())
    ends_time = forms.TimeField(label=_("at"), required=False, widget=time_input())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["ends_at"] = None
        if data.get("change") == LeaveRequest.Change.EXTEND:
            day, time = data.get("ends_on"), data.get("ends_time")
            if not day:
                self.add_error("ends_on", _("Give the day the extended leave ends."))
            else:
                data["ends_at"] = clock.at(day, time or END_OF_DAY)
        return data


class ListForm(BootstrapMixin, forms.Form):
    """The followers' list's filters; a bad value counts as absent."""

    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all")), *LeaveRequest.Status.choices],
    )
    kind = forms.ModelChoiceField(
        label=_("kind of leave"), required=False, queryset=LeaveKind.objects.all()
    )
    admin_class = forms.ModelChoiceField(
        label=_("class"), required=False, queryset=AdminClass.objects.none()
    )
    date = forms.DateField(label=_("on leave on"), required=False, widget=date_input())

    def __init__(self, *args: Any, classes: QuerySet[AdminClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["admin_class"]).queryset = classes

    def filter(self, requests: QuerySet[LeaveRequest]) -> QuerySet[LeaveRequest]:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        if data.get("status"):
            requests = requests.filter(status=data["status"])
        if data.get("kind"):
            requests = requests.filter(kind=data["kind"])
        if data.get("admin_class"):
            requests = requests.filter(person__admin_class=data["admin_class"])
        if data.get("date"):
            start = clock.at(data["date"], dt.time.min)
            requests = requests.filter(
                starts_at__lt=start + dt.timedelta(days=1), ends_at__gte=start
            )
        return requests


# Configuration by the leaders.


class KindForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LeaveKind
        fields = [
            "name",
            "who",
            "whereabouts",
            "needs_destination",
            "needs_attachment",
            "decide_within_hours",
            "position",
            "active",
        ]


def city_region_choices() -> list:
    """Every city, grouped by province, for a step's "leaving the city"."""
    choices: list = [("", _("—"))]
    for province in divisions.provinces():
        options = [(city["code"], city["name"]) for city in province["cities"]]
        choices.append((province["name"], options))
    return choices


class StepForm(BootstrapMixin, forms.Form):
    approver = forms.ChoiceField(label=_("approver"), choices=ChainStep.Approver.choices)
    post = forms.ModelChoiceField(label=_("post"), required=False, queryset=Post.objects.all())
    person_number = forms.CharField(
        label=_("person's number"),
        required=False,
        max_length=30,
        help_text=_("For a named person."),
    )
    over_working_days = forms.IntegerField(
        label=_("when longer than (working days)"), required=False, min_value=0, max_value=365
    )
    outside_city = forms.ChoiceField(
        label=_("or when leaving the city"), required=False, choices=city_region_choices
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        approver = data.get("approver")
        data["person"] = None
        if approver == ChainStep.Approver.POST and not data.get("post"):
            self.add_error("post", _("Choose the post whose holder approves."))
        if approver == ChainStep.Approver.PERSON:
            number = (data.get("person_number") or "").strip()
            data["person"] = Person.objects.filter(number=number).first() if number else None
            if data["person"] is None:
                self.add_error("person_number", _("Give the number of the person who approves."))
        return data

    def step(self) -> ChainStep:
        data = self.cleaned_data
        approver = data["approver"]
        return ChainStep(
            approver=approver,
            post=data["post"] if approver == ChainStep.Approver.POST else None,
            person=data["person"] if approver == ChainStep.Approver.PERSON else None,
            over_working_days=data.get("over_working_days"),
            outside_city=data.get("outside_city") or "",
        )

    @staticmethod
    def initial_from(step: ChainStep) -> dict[str, Any]:
        return {
            "approver": step.approver,
            "post": step.post_id,
            "person_number": step.person.number if step.person else "",
            "over_working_days": step.over_working_days,
            "outside_city": step.outside_city,
        }


# The chain in the order its rows are numbered (ORDER), rows ticked DELETE dropped.
StepFormSet = forms.formset_factory(StepForm, extra=2, can_order=True, can_delete=True)


class HolderForm(BootstrapMixin, forms.Form):
    number = forms.CharField(
        label=_("holder's number"),
        required=False,
        max_length=30,
        help_text=_("Leave empty: nobody holds the post in this unit."),
    )

    def clean_number(self) -> Person | None:
        number = self.cleaned_data["number"].strip()
        if not number:
            return None
        person = Person.objects.filter(number=number).exclude(kind=Person.Kind.STUDENT).first()
        if person is None:
            raise ValidationError(_("No teacher or staff member has this number."))
        return person


class PostForm(BootstrapMixin, forms.Form):
    """A new post (学工副书记), named once for every unit."""

    name = forms.CharField(label=_("name"), max_length=50)
