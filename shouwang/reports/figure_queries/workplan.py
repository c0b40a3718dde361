"""重点工作: the college's work plan for the period's year, its tree of areas,
key points and measures (`workplan.queries.plan_figures`), its breakthroughs
and the teacher vanguard posts carrying its measures."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.volunteers.models import Team
from shouwang.workplan.models import Area, Measure, Plan
from shouwang.workplan.queries import Figures, plan_figures

from ..figures import Scope, figure
from .links import link

PERIOD = _("the year the period begins in; the plan as it stands when computed")


def of_the_plan(what: Promise | str) -> str | Promise:
    return format_lazy(
        _(
            "{what} of the college's work plan for the year (the college's own plan "
            "before one of a unit below it, then the latest made)."
        ),
        what=what,
    )


def the_plan(scope: Scope) -> Plan | None:
    """The college's plan for the period's year, or None."""

    def read() -> Plan | None:
        own_first = Case(
            When(unit_id=scope.unit.pk, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            Plan.objects.filter(unit_id__in=scope.unit_ids, year=scope.first.year)
            .alias(own=own_first)
            .order_by("own", "-created_at", "-pk")
            .first()
        )

    return scope.shared("plan", read)


def _figures(scope: Scope) -> Figures:
    plan = the_plan(scope)
    if plan is None:
        return Figures(0, 0, 0)
    return scope.shared("plan_figures", lambda: plan_figures(plan))


def _overview(scope: Scope) -> str | None:
    plan = the_plan(scope)
    return link("workplan:plan_overview", plan.pk) if plan else None


@figure(
    "plan_areas",
    _("areas of the work plan"),
    population=of_the_plan(_("The areas (一、二、…)")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "areas"),
    list_url=_overview,
)
def plan_areas(scope: Scope) -> int:
    return _figures(scope).areas


@figure(
    "plan_key_points",
    _("key points of the work plan"),
    population=of_the_plan(_("The key points ((一)(二)…) of all areas")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "key points"),
    list_url=_overview,
)
def plan_key_points(scope: Scope) -> int:
    return _figures(scope).key_points


@figure(
    "plan_measures",
    _("measures of the work plan"),
    population=of_the_plan(_("The measures (1. 2. …) of all key points")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "measures"),
    list_url=_overview,
)
def plan_measures(scope: Scope) -> int:
    return _figures(scope).measures


@figure(
    "plan_area_titles",
    _("the work plan's areas"),
    population=of_the_plan(_("The titles, in order, of the areas")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "a list of titles"),
    list_url=_overview,
)
def plan_area_titles(scope: Scope) -> list[str]:
    plan = the_plan(scope)
    if plan is None:
        return []
    return list(Area.objects.filter(plan=plan).order_by("number").values_list("title", flat=True))


@figure(
    "plan_breakthroughs",
    _("breakthroughs of the work plan"),
    population=of_the_plan(_("The measures marked as a breakthrough (突破性进展)")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "measures"),
    list_url=_overview,
)
def plan_breakthroughs(scope: Scope) -> int:
    plan = the_plan(scope)
    if plan is None:
        return 0
    return Measure.objects.filter(key_point__area__plan=plan, is_breakthrough=True).count()


def _posts(scope: Scope) -> list[str]:
    def read() -> list[str]:
        plan = the_plan(scope)
        if plan is None:
            return []
        carrying = Measure.objects.filter(key_point__area__plan=plan).values("post_id")
        posts = Team.objects.filter(kind=Team.Kind.TEACHER_VANGUARD_POST, pk__in=carrying)
        # Sorted here: databases order Chinese by different collations.
        return sorted(posts.values_list("name", flat=True))

    return scope.shared("teacher_posts", read)


@figure(
    "teacher_vanguard_posts",
    _("teacher party-member vanguard posts"),
    population=of_the_plan(_("The teacher party-member vanguard posts carrying a measure")),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "posts"),
    list_url=_overview,
)
def teacher_vanguard_posts(scope: Scope) -> int:
    return len(_posts(scope))


@figure(
    "teacher_vanguard_post_names",
    _("the teacher party-member vanguard posts"),
    population=_("The names of the posts teacher_vanguard_posts counts, in code-point order."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "a list of names"),
    list_url=_overview,
)
def teacher_vanguard_post_names(scope: Scope) -> list[str]:
    return _posts(scope)
