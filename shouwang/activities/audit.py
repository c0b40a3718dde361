"""The kinds of audit event of activities, each recorded against the activity
(or the entry) it changed."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class ActivitiesEvent(audit.Kind):
    ACTIVITY_SAVED = "activities.activity_saved", _("saved an activity")
    SIGNED_UP = "activities.signed_up", _("signed up for an activity")
    WITHDRAWN = "activities.withdrawn", _("withdrew from an activity")
    TEAM_SAVED = "activities.team_saved", _("formed or changed a team")
    ENTRY_SUBMITTED = "activities.entry_submitted", _("submitted an entry")
    SESSION_SAVED = "activities.session_saved", _("saved a session")
    ATTENDANCE_IMPORTED = "activities.attendance_imported", _("committed a session's attendance")
    EXTERNAL_AWARD_RECORDED = "activities.external_award", _("recorded an external award")
    JUDGING_SET = "activities.judging_set", _("set the judges or criteria")
    ASSIGNED = "activities.assigned", _("assigned entries to judges")
    SCORED = "activities.scored", _("scored an entry")
    AWARDS_GIVEN = "activities.awards_given", _("gave the awards")
    RESULTS_PUBLISHED = "activities.results_published", _("published the results")
    OBJECTION_RAISED = "activities.objection_raised", _("raised an objection")
    OBJECTION_ANSWERED = "activities.objection_answered", _("answered an objection")
    RESULTS_FINAL = "activities.results_final", _("made the results final")
