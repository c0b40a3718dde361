from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "shouwang.teaching"
    verbose_name = _("Teaching")

    def ready(self) -> None:
        from . import message_kinds  # noqa: F401  (registers the kinds of message it sends)
