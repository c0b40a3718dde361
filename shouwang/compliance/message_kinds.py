"""The kinds of message compliance sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

MISSING_LIST = register("missing_list", _("missing list"))
