from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouwang.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import audit, checks  # noqa: F401  (checks registers the system checks)

        audit.connect_receiver()
