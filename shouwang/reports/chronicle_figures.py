"""The figures the chronicle's prose needs beside the counts: when teaching
went online. Registered with the others (`figures`), so that `--json`
prints them and the editor explains them like any figure."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.teaching.models import Lesson
from shouwang.teaching.report import online_classes

from .figures import Scope, figure


def _teaching_report(scope: Scope) -> str:
    query = {
        "first": scope.first.isoformat(),
        "last": scope.last.isoformat(),
        "unit": scope.unit.pk,
    }
    return f"{reverse('teaching:report')}?{urlencode(query)}"


@figure(
    "online_teaching_from",
    _("online teaching from"),
    _(
        "The first day on which a lesson of the college's teaching classes was held "
        "online, of the lessons dated in the period (none if no lesson was held online); "
        "a date."
    ),
    _teaching_report,
)
def online_teaching_from(scope: Scope) -> dt.date | None:
    first: dt.date | None = Lesson.objects.filter(
        teaching_class__in=online_classes(scope.first, scope.last, scope.unit_ids),
        online=True,
        status=Lesson.Status.HELD,
        date__range=(scope.first, scope.last),
    ).aggregate(first=Min("date"))["first"]
    return first
