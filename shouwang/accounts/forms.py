from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.lib.text import clean_number


class LoginForm(BootstrapMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Student or staff number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "inputmode": "text",
                "autocapitalize": "none",
            }
        ),
    )

    def clean_username(self):
        # Numbers typed on a Chinese keyboard arrive full-width or with stray spaces.
        return clean_number(self.cleaned_data["username"])


class NewPasswordForm(BootstrapMixin, PasswordChangeForm):
    pass
