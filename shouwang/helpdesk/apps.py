from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "shouwang.helpdesk"
    verbose_name = _("help requests")

    def ready(self) -> None:
        # Register its pieces of other apps' pages and the kinds of message it sends.
        from . import contributions, message_kinds  # noqa: F401
