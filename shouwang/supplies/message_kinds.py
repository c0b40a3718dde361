"""The kinds of message supplies sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# A request to decide (to its deciders), its decision and its issue (to the requester).
SUPPLIES = register("supplies", _("supplies"))
