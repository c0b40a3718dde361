"""The kinds of audit event of careers, each recorded against the graduate,
employer, position or fair it changed."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class CareersEvent(audit.Kind):
    COHORT_ENROLLED = "careers.cohort_enrolled", _("took a graduating cohort from the roster")
    DESTINATION_REPORTED = "careers.destination_reported", _("reported a destination")
    DESTINATION_CONFIRMED = "careers.destination_confirmed", _("confirmed a destination")
    DESTINATION_RETURNED = "careers.destination_returned", _("returned a destination report")
    DIFFICULTY_SET = "careers.difficulty_set", _("marked a graduate in employment difficulty")
    FOLLOWED_UP = "careers.followed_up", _("followed a graduate up")
    EMPLOYER_SAVED = "careers.employer_saved", _("saved an employer")
    POSITION_SAVED = "careers.position_saved", _("saved a position")
    EMPLOYERS_IMPORTED = "careers.employers_imported", _("committed an employer import")
    FAIR_SAVED = "careers.fair_saved", _("saved a job fair")
    ROOM_SAVED = "careers.room_saved", _("saved an employer's room at a fair")
    ATTENDANCE_IMPORTED = "careers.attendance_imported", _("committed a fair room's attendance")
    OFFER_RECORDED = "careers.offer_recorded", _("recorded an offer")
    EVIDENCE_READ = "careers.evidence_read", audit.READ, _("read a graduate's evidence")
    EMPLOYER_CONTACT_READ = (
        "careers.employer_contact_read",
        audit.READ,
        _("read an employer's contact"),
    )
    DIGEST_MUTED = "careers.digest_muted", _("muted or unmuted the digest of positions")
    OFFER_DECLINED = "careers.offer_declined", _("declined an offer")
    FAIRS_ANNOUNCED = "careers.fairs_announced", _("announced job fairs to the graduates")
    FAIR_NEWS_PUBLISHED = "careers.fair_news_published", _("published the news of job fairs")
