"""The kinds of audit event of the outbox: what a person decided about a
delivery whose outcome is unknown."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class NotifyEvent(audit.Kind):
    DELIVERY_RESENT = "notify.delivery_resent", _("re-sent a delivery of unknown outcome")
    DELIVERY_MARKED_DELIVERED = (
        "notify.delivery_marked_delivered",
        _("marked a delivery of unknown outcome delivered"),
    )
