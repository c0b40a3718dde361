"""The figures the chronicle's prose needs beside the counts: the day
teaching went online ("4月6日起，学院全面启动“云端”课堂"). Registered with
the others (`figure_queries`, `docs/chronicle.md`), so that `--json` prints
it and the editor explains it like any figure."""

from __future__ import annotations

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from shouwang.teaching.models import Lesson
from shouwang.teaching.report import online_classes

from .figure_queries.links import link
from .figures import Scope, figure


def _teaching_report(scope: Scope) -> str:
    return link(
        "teaching:report",
        first=scope.first.isoformat(),
        last=scope.last.isoformat(),
        unit=scope.unit.pk,
    )


@figure(
    "online_teaching_from",
    _("online teaching from"),
    population=_(
        "The first day a lesson of the teaching classes online (see "
        "teaching_classes_online) was held online."
    ),
    period=_("lessons dated in the period"),
    unit=_("a date, YYYY-MM-DD (none if no lesson was held online)"),
    list_url=_teaching_report,
)
def online_teaching_from(scope: Scope) -> str | None:
    first = Lesson.objects.filter(
        teaching_class__in=online_classes(scope.first, scope.last, scope.unit_ids),
        online=True,
        status=Lesson.Status.HELD,
        date__range=(scope.first, scope.last),
    ).aggregate(first=Min("date"))["first"]
    return first.isoformat() if first is not None else None
