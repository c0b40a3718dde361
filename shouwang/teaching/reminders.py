"""The reminder of a lesson left unmarked: at the end of its day, a lesson
still scheduled with no attendance reminds each of its teachers once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext

from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.models import Message

from .message_kinds import LESSON_UNMARKED
from .models import Attendance, Lesson, TeachingClass

# Lessons are reminded of this many at a time.
BATCH = 500
# How many days back an unmarked lesson still reminds its teachers.
LOOK_BACK = 7


def unmarked_lessons() -> QuerySet[Lesson]:
    """Lessons of today or the days before, still scheduled, with no
    attendance, not yet reminded. Only the last LOOK_BACK days: the nightly
    job has reminded of anything older, and the lessons laid before the
    college began marking (a term's first weeks on campus) remind nobody."""
    today = clock.today()
    attended = Attendance.objects.filter(lesson_id=OuterRef("pk"))
    return Lesson.objects.filter(
        date__range=(today - dt.timedelta(days=LOOK_BACK), today),
        status=Lesson.Status.SCHEDULED,
        reminded_at__isnull=True,
    ).exclude(Exists(attended))


def message_key(lesson_id: int, teacher_id: int) -> str:
    return f"lesson_unmarked:{lesson_id}:{teacher_id}"


def remind_unmarked() -> int:
    """Send each teacher of each unmarked lesson one message, a batch of
    lessons at a time; returns how many messages were new."""
    sent = 0
    while (batch := _remind_batch()) is not None:
        sent += batch
    return sent


@transaction.atomic
def _remind_batch() -> int | None:
    """One batch of lessons reminded; None when none is left."""
    now = clock.now()
    lessons = list(unmarked_lessons().select_related("teaching_class").order_by("pk")[:BATCH])
    if not lessons:
        return None
    teachers = TeachingClass.teachers.through.objects.filter(
        teachingclass_id__in={lesson.teaching_class_id for lesson in lessons}
    ).values_list("teachingclass_id", "person_id")
    by_class: dict[int, list[int]] = {}
    for class_id, person_id in teachers:
        by_class.setdefault(class_id, []).append(person_id)
    sent = deliver(
        Message(
            recipient_id=person_id,
            kind=LESSON_UNMARKED,
            title=gettext("Mark your lesson: %(lesson)s") % {"lesson": lesson},
            body=gettext(
                "The lesson of %(course)s on %(day)s, %(periods)s, is neither marked "
                "held, moved or cancelled, nor has attendance. Mark what happened."
            )
            % {
                "course": lesson.teaching_class.course_name,
                "day": date_format(lesson.date, gettext("N j")),
                "periods": lesson.periods_label,
            },
            link=lesson.get_absolute_url(),
            key=message_key(lesson.pk, person_id),
            created_at=now,
        )
        for lesson in lessons
        for person_id in by_class.get(lesson.teaching_class_id, [])
    )
    Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).update(reminded_at=now)
    return sent
