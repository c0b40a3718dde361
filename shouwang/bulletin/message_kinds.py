"""The kinds of message the mailboxes sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

LETTER = register("letter", _("letter"))
