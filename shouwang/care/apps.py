from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "shouwang.care"
    verbose_name = _("Care")

    def ready(self) -> None:
        from . import message_kinds  # noqa: F401  (registers the kinds of message it sends)
