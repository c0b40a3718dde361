from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shouwang.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The menu's entries, and the figures each module's queries define.
        from . import figure_queries, nav  # noqa: F401
