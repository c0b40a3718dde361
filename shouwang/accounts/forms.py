from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList
from shouwang.lib.text import clean_number
from shouwang.people.models import AdminClass, RosterImport, Unit

from .access import issue_classes, issue_imports, issue_units
from .models import PasswordIssue

if TYPE_CHECKING:
    from shouwang.accounts.models import User


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

    def clean_username(self) -> str:
        # Numbers typed on a Chinese keyboard arrive full-width or with stray spaces.
        return clean_number(self.cleaned_data["username"])

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.initial_password_expired:
            raise forms.ValidationError(
                _(
                    "This initial password expired on %(date)s without being used. Ask your"
                    " counsellor or the administrator for a new one."
                ),
                code="initial_password_expired",
                params={"date": f"{timezone.localtime(user.initial_password_expires_at):%Y-%m-%d}"},
            )


class NewPasswordForm(BootstrapMixin, PasswordChangeForm):
    pass


class IssueForm(BootstrapMixin, forms.Form):
    """What to issue initial passwords for: one of the scopes the user may use."""

    scope = forms.ChoiceField(label=_("For"), widget=RadioList)
    admin_class = forms.ModelChoiceField(
        label=_("Class"), queryset=AdminClass.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    roster_import = forms.ModelChoiceField(
        label=_("Roster import"), queryset=RosterImport.objects.none(), required=False
    )
    reset_own = forms.BooleanField(
        label=_("Also replace the passwords people have already chosen"),
        help_text=_(
            "Off: whoever has set their own password keeps it. On: they are logged out and"
            " must use the new initial password."
        ),
        required=False,
    )

    TARGETS = {
        PasswordIssue.Scope.CLASS: "admin_class",
        PasswordIssue.Scope.UNIT: "unit",
        PasswordIssue.Scope.IMPORT: "roster_import",
    }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets = {
            "admin_class": issue_classes(user),
            "unit": issue_units(user),
            "roster_import": issue_imports(user).order_by("-created_at"),
        }
        for name, queryset in querysets.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        scopes = [PasswordIssue.Scope.CLASS]
        if user.oversees:
            scopes += [
                PasswordIssue.Scope.UNIT,
                PasswordIssue.Scope.IMPORT,
                PasswordIssue.Scope.ALL_NEW,
            ]
        else:
            for name in ("unit", "roster_import"):
                del self.fields[name]
        choices = [(scope.value, scope.label) for scope in scopes]
        cast(forms.ChoiceField, self.fields["scope"]).choices = choices
        self.fields["scope"].initial = scopes[0].value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope = cleaned.get("scope")
        target = self.TARGETS.get(PasswordIssue.Scope(scope)) if scope else None
        if target and not cleaned.get(target):
            self.add_error(target, _("Choose one."))
        if scope == PasswordIssue.Scope.ALL_NEW and cleaned.get("reset_own"):
            self.add_error(
                "reset_own", _("Everyone who cannot log in yet has no password of their own.")
            )
        return cleaned
