from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "shouwang.compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from shouwang.checkins import hooks

        from . import message_kinds, missing_lists, tallies  # noqa: F401  (message_kinds registers the kinds of message it sends)

        hooks.add(hooks.before_purge, tallies.store_final_tallies)
        hooks.add(hooks.before_purge, missing_lists.purge_missing_lists)
