"""The kinds of audit event of the chronicles, each recorded against the
chronicle it drafted, changed, published or exported."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class ChronicleEvent(audit.Kind):
    DRAFTED = "reports.chronicle_drafted", _("drafted a chronicle from the data")
    EDITED = "reports.chronicle_edited", _("edited a chronicle's prose")
    REFRESHED = "reports.chronicle_refreshed", _("counted a published chronicle's figures again")
    PUBLISHED = "reports.chronicle_published", _("published a chronicle on the bulletin")
    EXPORTED = "reports.chronicle_exported", audit.READ, _("exported a chronicle")
