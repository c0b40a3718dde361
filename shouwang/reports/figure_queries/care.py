"""帮扶与关怀: the college's people in isolation and the meals carried to them."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.care.models import Isolation, MealDelivery

from ..figures import Scope, figure
from .links import link

PERIOD = _("meals dated in the period")


def _isolations_list(scope: Scope) -> str:
    return link("care:isolation_list")


def _delivered(scope: Scope) -> QuerySet[MealDelivery]:
    return MealDelivery.objects.filter(
        scope.people_q("isolation__person__"),
        date__range=(scope.first, scope.last),
        status=MealDelivery.Status.DELIVERED,
    )


@figure(
    "meals_per_day",
    _("meals a day"),
    population=_(
        "The number of meals (distinct meal slots) delivered to an isolated person of the "
        "college in one day, the most common over every day an isolated person had a meal "
        "delivered (of two as common, the larger): the meals a day of the meal plan as "
        "it was carried out. A delivery counts once the volunteer confirmed it."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "meals a day (none without a delivery)"),
    list_url=_isolations_list,
)
def meals_per_day(scope: Scope) -> int | None:
    per_day = (
        _delivered(scope)
        .order_by()
        .values("isolation_id", "date")
        .annotate(meals=Count("slot_id", distinct=True))
        .values_list("meals", flat=True)
    )
    tally = Counter(per_day)
    if not tally:
        return None
    return max(tally, key=lambda meals: (tally[meals], meals))


@figure(
    "meals_delivered",
    _("meals delivered"),
    population=_("Meals delivered to isolated people of the college, confirmed by a volunteer."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "meals"),
    list_url=_isolations_list,
)
def meals_delivered(scope: Scope) -> int:
    return _delivered(scope).count()


@figure(
    "isolated_people",
    _("people in isolation"),
    population=_(
        "Distinct people of the college in isolation (their own room or a room set aside)."
    ),
    period=_("isolations begun before the period ends and not ended before it begins"),
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_isolations_list,
)
def isolated_people(scope: Scope) -> int:
    isolations = Isolation.objects.filter(
        scope.people_q("person__"),
        Q(ended_at__isnull=True) | Q(ended_at__gte=scope.starts),
        started_at__lt=scope.ends,
    )
    return isolations.order_by().values("person_id").distinct().count()
