from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shouwang.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import AdminClass, Person

        # Changes made through forms and the admin are logged; the mobile number
        # is masked in the log as everywhere else.
        auditlog.register(Person, mask_fields=["mobile"])
        auditlog.register(AdminClass)
