"""The kinds of audit event of teaching."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class TeachingEvent(audit.Kind):
    TERM_SAVED = "teaching.term_saved", _("saved a term")
    TIMETABLE_COMMITTED = "teaching.timetable_committed", _("committed a timetable import")
    ENROLMENT_COMMITTED = "teaching.enrolment_committed", _("committed an enrolment import")
    LESSONS_GENERATED = "teaching.lessons_generated", _("generated a term's lessons")
    WENT_ONLINE = "teaching.went_online", _("moved teaching online")
    PLATFORM_SET = "teaching.platform_set", _("set a teaching class's platform")
    LESSON_MARKED = "teaching.lesson_marked", _("marked a lesson")
    LESSON_DECIDED = "teaching.lesson_decided", _("decided on a moved or cancelled lesson")
    ATTENDANCE_IMPORTED = "teaching.attendance_imported", _("imported a lesson's attendance")
    ATTENDANCE_MARKED = "teaching.attendance_marked", _("marked a lesson's attendance")
    READINESS_ANSWERED = "teaching.readiness_answered", _("answered whether they can attend online")
    OBSERVATION_ASSIGNED = "teaching.observation_assigned", _("assigned a lesson to observe")
    OBSERVATION_WRITTEN = "teaching.observation_written", _("wrote an observation")
    REPORT_EXPORTED = (
        "teaching.report_exported",
        audit.READ,
        _("exported the online-teaching report"),
    )
