from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "shouwang.helpdesk"
    verbose_name = _("help requests")

    def ready(self) -> None:
        from . import message_kinds  # noqa: F401  (registers the kinds of message it sends)
