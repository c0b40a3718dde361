from django import forms

from .models import LeaveStep


class PassageForm(forms.Form):
    """The passage the gate keeper was shown a scan would record."""

    event = forms.ChoiceField(
        choices=[
            (LeaveStep.Event.LEFT.value, LeaveStep.Event.LEFT.label),
            (LeaveStep.Event.CAME_BACK.value, LeaveStep.Event.CAME_BACK.label),
        ],
        widget=forms.HiddenInput,
    )
