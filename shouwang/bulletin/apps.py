from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "shouwang.bulletin"
    verbose_name = _("Public bulletin")

    def ready(self) -> None:
        from . import message_kinds  # noqa: F401  (registers the kinds of message it sends)
