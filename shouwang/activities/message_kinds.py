"""The kinds of message activities send, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# Sign-ups, entries to judge, results published and final.
ACTIVITIES = register("activities", _("activities"))
