from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "shouwang.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # Register the kinds of message it sends.
        from . import message_kinds  # noqa: F401
