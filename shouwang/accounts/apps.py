from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shouwang.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .sessions import start_session

        # A session policy, not business logic: every login, SSO included, passes here.
        user_logged_in.connect(start_session, dispatch_uid="shouwang.accounts.start_session")
