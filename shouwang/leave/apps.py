from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "shouwang.leave"
    verbose_name = _("Leave")

    def ready(self) -> None:
        # Register the kinds of message it sends.
        from . import message_kinds  # noqa: F401
