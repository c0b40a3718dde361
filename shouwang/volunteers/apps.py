from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "shouwang.volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from . import contributions  # noqa: F401  (adds its pieces to other apps' pages)
