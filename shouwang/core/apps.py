from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouwang.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        # Each app's menu entries (core/nav.py), found by name as the admin finds admin.py.
        autodiscover_modules("nav")
        # Each app's kinds of audit event, so that the log names every kind it holds.
        autodiscover_modules("audit")
