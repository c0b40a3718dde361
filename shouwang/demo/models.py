from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role


class DemoLogin(models.Model):
    """A login the demo made to show one role. Kept so that the demo command can
    print the logins again on any later run, and so that a database holding
    people the demo did not make is never reset by it."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.OneToOneField(
        "accounts.User", models.CASCADE, related_name="+", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("demo login")
        verbose_name_plural = _("demo logins")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.user}"
