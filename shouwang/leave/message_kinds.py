"""The kinds of message leave sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# A request waiting on its approver, decided (to the requester), overdue back.
LEAVE = register("leave", _("leave"))
