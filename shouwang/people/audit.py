"""The kinds of audit event of people, classes and the roster."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class PeopleEvent(audit.Kind):
    PERSON_VIEWED = "people.person_viewed", audit.READ, _("opened a person's page")
    MOBILE_VIEWED = "people.mobile_viewed", audit.READ, _("revealed a mobile number")
    PERSON_CREATED = "people.person_created", _("added a person")
    PERSON_CHANGED = "people.person_changed", _("changed a person")
    PERSON_DELETED = "people.person_deleted", _("deleted a person")
    CLASS_CREATED = "people.class_created", _("added a class")
    CLASS_CHANGED = "people.class_changed", _("changed a class")
    CLASS_DELETED = "people.class_deleted", _("deleted a class")
    UNIT_CREATED = "people.unit_created", _("added a unit")
    COUNSELLOR_SET = "people.counsellor_set", _("set a class's counsellor")
    ASSISTANT_COUNSELLOR_MARKED = (
        "people.assistant_counsellor_marked",
        _("marked an assistant counsellor"),
    )
    ASSISTANT_COUNSELLOR_UNMARKED = (
        "people.assistant_counsellor_unmarked",
        _("unmarked an assistant counsellor"),
    )
    INITIAL_PASSWORD_ISSUED = "people.initial_password_issued", _("issued an initial password")
    ROSTER_DEFAULTS_CHOSEN = "people.roster_defaults_chosen", _("chose a roster import's defaults")
    ROSTER_COMMITTED = "people.roster_committed", _("committed a roster import")
    ROSTER_EXPORTED = "people.roster_exported", _("exported the roster")
    PLATFORM_ACCOUNTS_COMMITTED = (
        "people.platform_accounts_committed",
        _("committed a sheet of WeCom and DingTalk accounts"),
    )
