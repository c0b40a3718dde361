"""Forms of the roles page (accounts.role_views)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.lib.text import clean_number

from .models import GRANTED_ROLES, Role, User

ROLE_CHOICES = [(role.value, role.label) for role in GRANTED_ROLES]


def _role(value: str) -> Role:
    return Role(value)


class GrantRoleForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Student or staff number"), max_length=32)
    role = forms.TypedChoiceField(label=_("Role"), choices=ROLE_CHOICES, coerce=_role)

    def clean_number(self) -> User:
        number = clean_number(self.cleaned_data["number"])
        user = User.objects.filter(username=number, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with the number %(number)s has an active login."),
                params={"number": number},
            )
        return user


class RevokeRoleForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.all())
    role = forms.TypedChoiceField(choices=ROLE_CHOICES, coerce=_role)
