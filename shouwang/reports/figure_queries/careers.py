"""就业: the online job fairs the college held and who took part
(`careers.queries.totals`: a participation (人次) is one graduate in one
employer's room at one fair)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.careers.models import JobFair
from shouwang.careers.queries import totals

from ..figures import Scope, figure
from .links import link

PERIOD = _("fairs held (dated) in the period")


def _fairs(scope: Scope) -> QuerySet[JobFair]:
    return JobFair.objects.filter(
        unit_id__in=scope.unit_ids, held_on__range=(scope.first, scope.last)
    )


def _totals(scope: Scope) -> tuple[int, int]:
    return scope.shared("fair_totals", lambda: totals(_fairs(scope)))


def _counts(scope: Scope) -> str:
    return link("careers:fair_counts")


@figure(
    "job_fairs",
    _("job fairs"),
    population=_("The job fairs held by the college (or a unit below it)."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "fairs"),
    list_url=_counts,
)
def job_fairs(scope: Scope) -> int:
    return _fairs(scope).count()


@figure(
    "job_fair_participations",
    _("participations in the job fairs"),
    population=_(
        "Participations in the fairs job_fairs counts: one graduate counted in one "
        "employer's room at one fair is one participation (人次)."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "participations (人次)"),
    list_url=_counts,
)
def job_fair_participations(scope: Scope) -> int:
    return _totals(scope)[0]


@figure(
    "job_fair_participants",
    _("graduates at the job fairs"),
    population=_("Distinct graduates counted in any room of the fairs job_fairs counts."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_counts,
)
def job_fair_participants(scope: Scope) -> int:
    return _totals(scope)[1]
