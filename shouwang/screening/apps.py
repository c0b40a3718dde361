from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "shouwang.screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from shouwang.checkins import hooks

        from . import escalation, rules

        hooks.add(hooks.checkin_stored, rules.flags_for)
        hooks.add(hooks.before_purge, rules.purge_flags)
        hooks.add(hooks.before_purge, escalation.purge_escalations)
