from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "shouwang.counselling"
    verbose_name = _("Counselling referrals")

    def ready(self):
        from shouwang.core.audit import keep_out_of_log_views

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import Referral, ReferralNote

        # That a referral exists, or how many, is not for the log's readers.
        keep_out_of_log_views(Referral, ReferralNote)
