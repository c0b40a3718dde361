from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "shouwang.supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        # Register the kinds of message it sends, and its pieces of other apps' pages.
        from . import contributions, message_kinds  # noqa: F401
