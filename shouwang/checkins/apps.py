from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "shouwang.checkins"
    verbose_name = _("Check-ins")

    def ready(self) -> None:
        from . import message_kinds  # noqa: F401  (registers the kinds of message it sends)
