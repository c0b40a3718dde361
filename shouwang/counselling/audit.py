"""The kinds of audit event of counselling referrals."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class CounsellingEvent(audit.Kind):
    REFERRAL_LISTED = "counselling.referral_listed", audit.READ, _("saw a referral in a list")
    REFERRAL_VIEWED = "counselling.referral_viewed", audit.READ, _("opened a referral")
    REFERRAL_MADE = "counselling.referral_made", _("made a referral")
    CONSENT_RECORDED = "counselling.consent_recorded", _("recorded a student's consent")
    NOTE_ADDED = "counselling.note_added", _("added a note to a referral")
    REFERRAL_TAKEN = "counselling.referral_taken", _("took a referral on")
    REFERRAL_CLOSED = "counselling.referral_closed", _("closed a referral")
