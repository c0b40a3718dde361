"""The kinds of audit event of notices."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class NoticeEvent(audit.Kind):
    WRITTEN = "notices.written", _("wrote a notice")
    PUBLISHED = "notices.published", _("published a notice")
    REMINDED = "notices.reminded", _("sent a notice's reminder")
