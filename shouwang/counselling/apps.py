from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "shouwang.counselling"
    verbose_name = _("Counselling referrals")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
