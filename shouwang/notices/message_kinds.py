"""The kinds of message the notices sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# A notice opens at once from the inbox: its page marks it read and holds its "Received".
NOTICE = register("notice", _("notice"), opens_link=True)
