from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "shouwang.workplan"
    verbose_name = _("Work plan")

    def ready(self) -> None:
        from . import (
            contributions,  # noqa: F401  (adds its pieces to other apps' pages)
            message_kinds,  # noqa: F401  (registers the kinds of message it sends)
        )
