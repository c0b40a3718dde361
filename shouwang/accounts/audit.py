"""The kinds of audit event of accounts, roles and initial passwords."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class AccountEvent(audit.Kind):
    ROLE_GRANTED = "accounts.role_granted", _("granted a role")
    ROLE_REMOVED = "accounts.role_removed", _("removed a role")
    PASSWORDS_ISSUED = "accounts.passwords_issued", _("issued initial passwords")
    PASSWORD_SHEET_DOWNLOADED = (
        "accounts.password_sheet_downloaded",
        _("downloaded the sheet of initial passwords"),
    )
    PASSWORD_SLIPS_DOWNLOADED = (
        "accounts.password_slips_downloaded",
        _("downloaded the slips of initial passwords"),
    )
