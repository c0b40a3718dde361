"""线上教学: the teaching classes that held lessons online, their teachers and
students, counted as the online-teaching report counts them (`teaching.report`)."""

from __future__ import annotations

from django.db.models import Min, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.teaching.models import Enrolment, Lesson, TeachingClass
from shouwang.teaching.report import online_classes

from ..figures import Scope, figure
from .links import link

PERIOD = _("lessons dated in the period")


def _online(scope: Scope) -> QuerySet[TeachingClass]:
    return online_classes(scope.first, scope.last, scope.unit_ids)


def _report(scope: Scope) -> str:
    return link(
        "teaching:report",
        first=scope.first.isoformat(),
        last=scope.last.isoformat(),
        unit=scope.unit.pk,
    )


@figure(
    "teaching_classes_online",
    _("teaching classes online"),
    population=_(
        "Teaching classes offered by the college (or a unit below it) with at least one "
        "lesson held online."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "teaching classes"),
    list_url=_report,
)
def teaching_classes_online(scope: Scope) -> int:
    return _online(scope).count()


@figure(
    "teachers_online",
    _("teachers online"),
    population=_(
        "Distinct teachers assigned to the teaching classes online (see "
        "teaching_classes_online), whatever their own unit."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_report,
)
def teachers_online(scope: Scope) -> int:
    teachers = TeachingClass.teachers.through.objects.filter(
        teachingclass__in=_online(scope).values("pk")
    )
    return teachers.order_by().values("person_id").distinct().count()


@figure(
    "students_online",
    _("students online"),
    population=_(
        "Distinct students enrolled in the teaching classes online (see "
        "teaching_classes_online), whatever their own unit."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_report,
)
def students_online(scope: Scope) -> int:
    enrolled = Enrolment.objects.filter(teaching_class__in=_online(scope).values("pk"))
    return enrolled.order_by().values("student_id").distinct().count()


# The day teaching went online: "4月6日起，学院全面启动“云端”课堂".
@figure(
    "online_teaching_from",
    _("online teaching from"),
    population=_(
        "The first day a lesson of the teaching classes online (see "
        "teaching_classes_online) was held online."
    ),
    period=_("lessons dated in the period"),
    unit=_("a date, YYYY-MM-DD (none if no lesson was held online)"),
    list_url=_report,
)
def online_teaching_from(scope: Scope) -> str | None:
    first = Lesson.objects.filter(
        teaching_class__in=_online(scope),
        online=True,
        status=Lesson.Status.HELD,
        date__range=(scope.first, scope.last),
    ).aggregate(first=Min("date"))["first"]
    return first.isoformat() if first is not None else None
