from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CHECKINS, Entry, everyone, register

from .access import has_morning

register(Entry(None, _("Home"), "home:home", everyone))
register(Entry(CHECKINS, _("This morning in my classes"), "home:morning", has_morning, order=5))
