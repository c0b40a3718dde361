from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.nav import WEBSITE, Entry, register

from .access import can_write_articles

# The public pages are everyone's, but in the menu only for those who write them.
register(
    Entry(WEBSITE, pgettext_lazy("menu", "Public pages"), "bulletin:home", can_write_articles),
    Entry(WEBSITE, _("Bulletin articles"), "bulletin:desk", can_write_articles, order=10),
)
