"""活动: the contests and activities the college ran during the period, who
signed up, who took part (`activities.queries.taking_part`) and the awards."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.activities.models import Activity, Award, ExternalAward, SignUp
from shouwang.activities.queries import TakingPart, taking_part

from ..figures import Scope, figure
from .links import link

PERIOD = _("activities whose dates (start to end) overlap the period")


def held(scope: Scope) -> QuerySet[Activity]:
    """The college's activities under way during the period."""
    return Activity.objects.filter(
        unit_id__in=scope.unit_ids, starts_on__lte=scope.last, ends_on__gte=scope.first
    )


def _by_kind(scope: Scope) -> dict[str, int]:
    def read() -> dict[str, int]:
        rows = held(scope).order_by().values("kind").annotate(n=Count("pk"))
        counted = {row["kind"]: row["n"] for row in rows}
        return {kind: counted[kind] for kind in Activity.Kind.values if kind in counted}

    return scope.shared("activities_by_kind", read)


def _taking_part(scope: Scope) -> TakingPart:
    return scope.shared("taking_part", lambda: taking_part(held(scope)))


def say_kinds(value: dict[str, int]) -> str:
    """Each kind's name and number: contest 5、call for works 2 (in the reader's language)."""
    labels = dict(Activity.Kind.choices)
    return "、".join(f"{labels.get(kind, kind)}{count}" for kind, count in value.items())


def _counts(scope: Scope) -> str:
    return link("activities:counts")


@figure(
    "activities",
    _("activities"),
    population=_(
        "The activities (contests, calls for works, forums, festivals, classes, lectures) "
        "run by the college (or a unit below it)."
    ),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "activities"),
    list_url=_counts,
)
def activities(scope: Scope) -> int:
    return sum(_by_kind(scope).values())


@figure(
    "activities_by_kind",
    _("activities by kind"),
    population=_("The activities the figure activities counts, by kind (only kinds held)."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "a mapping of kind to the number of activities"),
    list_url=_counts,
    say=say_kinds,
)
def activities_by_kind(scope: Scope) -> dict[str, int]:
    return _by_kind(scope)


@figure(
    "activity_contests",
    _("contests"),
    population=_("The activities the figure activities counts that are contests."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "contests"),
    list_url=lambda scope: link("activities:counts", kind=Activity.Kind.CONTEST),
)
def activity_contests(scope: Scope) -> int:
    return _by_kind(scope).get(Activity.Kind.CONTEST, 0)


@figure(
    "activity_titles",
    _("the activities"),
    population=_("The titles of the activities the figure activities counts, by start date."),
    period=PERIOD,
    unit=pgettext_lazy("figure unit", "a list of titles"),
    list_url=_counts,
)
def activity_titles(scope: Scope) -> list[str]:
    return list(held(scope).order_by("starts_on", "pk").values_list("title", flat=True))


@figure(
    "activity_signups",
    _("sign-ups to the activities"),
    population=_(
        "Sign-ups to the activities the figure activities counts: one student signed up "
        "to one activity is one sign-up (人次)."
    ),
    period=_("every sign-up to those activities, whenever made"),
    unit=pgettext_lazy("figure unit", "sign-ups (人次)"),
    list_url=_counts,
)
def activity_signups(scope: Scope) -> int:
    return SignUp.objects.filter(activity__in=held(scope)).count()


@figure(
    "activity_participations",
    _("participations in the activities"),
    population=_(
        "Participations (人次) in the activities the figure activities counts: a student "
        "took part in one by an entry submitted, a session attended for half its length, "
        "an award won outside, or, where the activity asks none of these, by signing up."
    ),
    period=_("every participation in those activities, whenever made"),
    unit=pgettext_lazy("figure unit", "participations (人次)"),
    list_url=_counts,
)
def activity_participations(scope: Scope) -> int:
    return len(_taking_part(scope).ways)


@figure(
    "activity_participants",
    _("students taking part in the activities"),
    population=_(
        "Distinct students who took part (as activity_participations counts) in any of "
        "the activities."
    ),
    period=_("every participation in those activities, whenever made"),
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_counts,
)
def activity_participants(scope: Scope) -> int:
    return len(_taking_part(scope).people)


@figure(
    "activity_awards",
    _("awards in the activities"),
    population=_(
        "Awards of the activities the figure activities counts: prizes of the college's "
        "judging whose results were published by the period's end, and awards won outside "
        "(an external contest's) dated by then."
    ),
    period=_("published or awarded by the end of the period"),
    unit=pgettext_lazy("figure unit", "awards"),
    list_url=_counts,
)
def activity_awards(scope: Scope) -> int:
    activities = held(scope)
    judged = Award.objects.filter(
        activity__in=activities, activity__results_published_at__lt=scope.ends
    )
    outside = ExternalAward.objects.filter(activity__in=activities, awarded_on__lte=scope.last)
    return judged.count() + outside.count()
