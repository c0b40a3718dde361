from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList
from shouwang.core.uploads import MultipleFileField
from shouwang.people.models import Person

from .models import HelpRequest, HelpRequestAttachment

S = HelpRequest.Status
MOVES = [(S.IN_PROGRESS, _("in progress")), (S.RESOLVED, _("resolved"))]


class HandledFilterForm(forms.Form):
    """The requests one handles, narrowed to those open or overdue (?state=),
    as the leaders' cockpit counts them."""

    state = forms.ChoiceField(
        required=False, choices=[("open", _("open")), ("overdue", _("overdue"))]
    )


class RequestForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("category"), choices=HelpRequest.Category.choices, widget=RadioList
    )
    urgency = forms.ChoiceField(
        label=_("urgency"),
        choices=HelpRequest.Urgency.choices,
        initial=HelpRequest.Urgency.NORMAL,
        widget=RadioList,
    )
    description = forms.CharField(
        label=_("what do you need help with?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please describe your problem.")},
    )
    attachments = MultipleFileField(
        label=_("attachments"),
        required=False,
        validators=[HelpRequestAttachment.allowed()],
        help_text=_("Photos, PDF or Office files, up to 10 MB each."),
    )
    # Ticked after the page has shown the person their similar open requests.
    still_submit = forms.BooleanField(
        label=_("this is a different problem: submit it anyway"), required=False
    )

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Please describe your problem in a few more words."))
        return text


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write something first.")},
    )
    internal = forms.BooleanField(label=_("internal note (staff only)"), required=False)


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=MOVES)
    text = forms.CharField(label=_("what was done"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == S.RESOLVED and not data.get("text", "").strip():
            self.add_error("text", _("Say how the problem was resolved."))
        return data


class ReopenForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("what is still wrong?"),
        max_length=1000,
        error_messages={"required": _("Say what is still wrong.")},
    )


def _person_by_number(number: str, staff_only: bool) -> Person:
    person = Person.objects.filter(number=number.strip()).first()
    if person is None:
        raise forms.ValidationError(
            _("No one has the number %(number)s."), params={"number": number}
        )
    if staff_only and person.kind == Person.Kind.STUDENT:
        raise forms.ValidationError(_("A request can only be given to a teacher or staff member."))
    return person


class ReassignForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("new handler's number"), max_length=20)
    text = forms.CharField(label=_("why"), max_length=300, required=False)

    def clean_number(self) -> Person:
        return _person_by_number(self.cleaned_data["number"], staff_only=True)


class TaskForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("assignee's number"), max_length=20)
    what = forms.CharField(label=_("what to do"), max_length=300)
    where = forms.CharField(label=_("where or whom to contact"), max_length=200)

    def clean_number(self) -> Person:
        return _person_by_number(self.cleaned_data["number"], staff_only=False)


class LetterForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=HelpRequest.Category.choices)
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=HelpRequest.Urgency.choices, initial=HelpRequest.Urgency.NORMAL
    )
    number = forms.CharField(
        label=_("the writer's number, if known"),
        max_length=20,
        required=False,
        help_text=_("Without it, the request is yours, on the writer's behalf."),
    )

    def clean_number(self) -> Person | None:
        number = self.cleaned_data["number"].strip()
        return _person_by_number(number, staff_only=False) if number else None
