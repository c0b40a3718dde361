"""The kinds of message the help desk sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

HELP = register("help", _("help request"))
