from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    name = "shouwang.careers"
    verbose_name = _("Careers")

    def ready(self) -> None:
        # Register the kinds of message it sends.
        from . import message_kinds  # noqa: F401
