from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "shouwang.checkins"
    verbose_name = _("Check-ins")

    def ready(self) -> None:
        from shouwang.core import backup

        from . import retention

        # No backup outlives the retention of the detail it holds, and no
        # restore brings purged detail back.
        backup.register(backup.expiry_checks, retention.backup_holds_expired_detail)
        backup.register(backup.after_restore, retention.purge_after_restore)
