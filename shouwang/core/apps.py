from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouwang.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import audit, checks  # noqa: F401  (checks registers the system checks)

        audit.connect_receiver()
        # Each app's menu entries (core/nav.py), found by name as the admin finds admin.py.
        autodiscover_modules("nav")
