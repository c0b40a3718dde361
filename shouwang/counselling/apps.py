from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "shouwang.counselling"
    verbose_name = _("Counselling referrals")

    def ready(self) -> None:
        from shouwang.core.audit import keep_out_of_log_views

        # Register the system checks and its pieces of other apps' pages.
        from . import checks, contributions  # noqa: F401
        from .models import Referral, ReferralNote

        # That a referral exists, or how many, is not for the log's readers.
        keep_out_of_log_views(Referral, ReferralNote)
