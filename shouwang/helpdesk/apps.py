from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "shouwang.helpdesk"
    verbose_name = _("help requests")
