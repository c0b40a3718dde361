"""The kinds of audit event of supplies: each is recorded against the donation,
store, request or slip it changed."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class SuppliesEvent(audit.Kind):
    ITEM_SAVED = "supplies.item_saved", _("saved an item")
    STORE_SAVED = "supplies.store_saved", _("saved a store")
    MINIMUM_SET = "supplies.minimum_set", _("set a minimum level")
    DONOR_SAVED = "supplies.donor_saved", _("saved a donor")
    DONATION_PLEDGED = "supplies.donation_pledged", _("recorded a pledged donation")
    DONATION_RECEIVED = "supplies.donation_received", _("counted a donation in")
    DONATION_CANCELLED = "supplies.donation_cancelled", _("cancelled a pledged donation")
    DONATION_PHOTOS_ADDED = "supplies.donation_photos_added", _("added photos of a donation")
    DISCLOSURE_PUBLISHED = "supplies.disclosure_published", _("published a donation's disclosure")
    STOCK_RECEIVED = "supplies.stock_received", _("received stock")
    TRANSFERRED = "supplies.transferred", _("transferred stock")
    WRITTEN_OFF = "supplies.written_off", _("wrote stock off")
    STOCKTAKE = "supplies.stocktake", _("recorded a stocktake")
    REQUEST_SUBMITTED = "supplies.request_submitted", _("asked for supplies")
    REQUEST_DECIDED = "supplies.request_decided", _("decided a supply request")
    REQUEST_FROM_HELP = (
        "supplies.request_from_help",
        _("turned a help request into a supply request"),
    )
    REQUEST_CANCELLED = "supplies.request_cancelled", _("cancelled a supply request")
    ISSUED = "supplies.issued", _("issued supplies")
    RECEIPT_CONFIRMED = "supplies.receipt_confirmed", _("confirmed supplies received")
    DONOR_CONTACT_READ = "supplies.donor_contact_read", audit.READ, _("read a donor's contact")
