"""The kinds of audit event of care for people in isolation."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class CareEvent(audit.Kind):
    ISOLATION_VIEWED = "care.isolation_viewed", audit.READ, _("opened an isolation")
    ISOLATION_PLACED = "care.isolation_placed", _("placed a person in isolation")
    ISOLATION_ENDED = "care.isolation_ended", _("ended an isolation")
    DELIVERY_CONFIRMED = "care.delivery_confirmed", _("confirmed a delivery")
    DELIVERY_PROBLEM = "care.delivery_problem", _("reported a delivery problem")
    DELIVERY_HANDLED = "care.delivery_handled", _("handled a delivery problem")
    CONTACT_RECORDED = "care.contact_recorded", _("recorded a contact with a person in isolation")
