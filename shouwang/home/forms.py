from django import forms


class RemindForm(forms.Form):
    """ "Remind all who are missing": the reminder slot the page showed, so that
    a page left open past its slot sends nothing it did not say it would."""

    slot = forms.CharField(max_length=100, widget=forms.HiddenInput)
