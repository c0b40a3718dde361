"""The kinds of message teaching sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# A lesson neither marked nor followed by attendance at the end of its day.
LESSON_UNMARKED = register("lesson_unmarked", _("lesson not marked"), opens_link=True)
# A lesson to observe, for the supervisor assigned to it.
OBSERVATION = register("observation", _("lesson to observe"), opens_link=True)
# A supervisor's feedback on a lesson, for its teachers.
FEEDBACK = register("observation_feedback", _("feedback on a lesson"), opens_link=True)
