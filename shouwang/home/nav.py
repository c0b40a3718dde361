from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import Entry, everyone, register

register(Entry(None, _("Home"), "home:home", everyone))
