from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CARE, Entry, register

from .access import asks_for_supplies, manages_supplies

# Roles and person only: the menu asks the database nothing.

register(
    Entry(CARE, _("Supplies"), "supplies:index", manages_supplies, order=70),
    Entry(CARE, _("Supply requests"), "supplies:request_list", asks_for_supplies, order=71),
    Entry(CARE, _("Supply catalogue"), "supplies:item_list", manages_supplies, order=72),
)
