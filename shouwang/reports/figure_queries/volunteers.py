"""志愿服务 and 一线值守: the college's volunteer brigades, its student party
members at the vanguard posts and serving in their home communities
(`volunteers.queries.service_figures`), and the longest run of days on site
of its staff (`volunteers.duty.longest_streak`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.care.models import MealDelivery
from shouwang.people.models import Person, party_member_q
from shouwang.volunteers.duty import Streak, longest_streak
from shouwang.volunteers.models import ServiceReport, Shift, SignUp, Team
from shouwang.volunteers.queries import PARTY, ServiceFigures, service_figures

from ..figures import Scope, figure
from .links import link

SERVICE_PERIOD = _("reports dated (the day served) in the period, approved when computed")


def _service(scope: Scope) -> ServiceFigures:
    reports = ServiceReport.objects.filter(scope.people_q("person__"))
    return scope.shared(
        "service", lambda: service_figures(scope.first, scope.last, reports=reports)
    )


def _service_list(scope: Scope) -> str:
    return link("volunteers:service_list")


@figure(
    "home_service_party_members",
    _("student party members serving their home communities"),
    population=_(
        "Distinct students of the college, party members (full or probationary), with an "
        "approved report of service in their home community."
    ),
    period=SERVICE_PERIOD,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=_service_list,
)
def home_service_party_members(scope: Scope) -> int:
    return _service(scope).people(PARTY)


@figure(
    "home_service_provinces",
    _("provinces of the party members' home service"),
    population=_(
        "Distinct provinces of the reports home_service_party_members counts (where they served)."
    ),
    period=SERVICE_PERIOD,
    unit=pgettext_lazy("figure unit", "provinces"),
    list_url=_service_list,
)
def home_service_provinces(scope: Scope) -> int:
    return _service(scope).provinces(PARTY)


def _brigades(scope: Scope) -> list[str]:
    def read() -> list[str]:
        shift = Shift.objects.filter(scope.during("starts_at"), team=OuterRef("pk"))
        delivered = MealDelivery.objects.filter(
            team=OuterRef("pk"),
            date__range=(scope.first, scope.last),
            status=MealDelivery.Status.DELIVERED,
        )
        brigades = Team.objects.filter(
            Q(Exists(shift)) | Q(Exists(delivered)),
            kind=Team.Kind.BRIGADE,
            unit_id__in=scope.unit_ids,
        )
        # Sorted here: databases order Chinese by different collations.
        return sorted(brigades.values_list("name", flat=True))

    return scope.shared("brigades", read)


BRIGADES = _(
    "Volunteer teams of the kind brigade run by the college (or a unit below it) that "
    "were at work: a shift of theirs began, or they delivered a meal."
)


@figure(
    "volunteer_brigades",
    _("volunteer brigades"),
    population=BRIGADES,
    period=_("shifts begun and meals delivered in the period"),
    unit=pgettext_lazy("figure unit", "brigades"),
    list_url=lambda scope: link("volunteers:team_list"),
)
def volunteer_brigades(scope: Scope) -> int:
    return len(_brigades(scope))


@figure(
    "volunteer_brigade_names",
    _("the volunteer brigades"),
    population=_("The names of the brigades volunteer_brigades counts, in code-point order."),
    period=_("shifts begun and meals delivered in the period"),
    unit=pgettext_lazy("figure unit", "a list of names"),
    list_url=lambda scope: link("volunteers:team_list"),
)
def volunteer_brigade_names(scope: Scope) -> list[str]:
    return _brigades(scope)


@figure(
    "vanguard_party_members",
    _("student party members at the vanguard posts"),
    population=_(
        "Distinct students, party members (full or probationary), checked in at a shift "
        "of a student party-member vanguard post or work team run by the college."
    ),
    period=_("shifts begun in the period"),
    unit=pgettext_lazy("figure unit", "people"),
    list_url=lambda scope: link("volunteers:team_list"),
)
def vanguard_party_members(scope: Scope) -> int:
    served = SignUp.objects.filter(
        scope.during("shift__starts_at"),
        party_member_q("person__"),
        person__kind=Person.Kind.STUDENT,
        shift__team__kind__in=[Team.Kind.VANGUARD_POST, Team.Kind.PARTY_WORK_TEAM],
        shift__team__unit_id__in=scope.unit_ids,
        checked_in_at__isnull=False,
    )
    return served.order_by().values("person_id").distinct().count()


def _streak(scope: Scope) -> Streak | None:
    return scope.shared(
        "streak", lambda: longest_streak(scope.first, scope.last, scope.people_q("person__"))
    )


def _roster(scope: Scope) -> str:
    streak = _streak(scope)
    # The roster of the run's last day shows how long it has lasted.
    day = streak.first_day + dt.timedelta(days=streak.days - 1) if streak else scope.last
    return link("volunteers:duty_roster", date=day.isoformat())


STREAK = _(
    "The longest run of consecutive days on site on the duty roster of anyone of the "
    "college (of runs as long, the earliest)."
)
STREAK_PERIOD = _("days in the period (a run reaching past it counts its days inside)")


@figure(
    "longest_duty_streak_days",
    _("longest run of days on site"),
    population=STREAK,
    period=STREAK_PERIOD,
    unit=pgettext_lazy("figure unit", "days"),
    list_url=_roster,
)
def longest_duty_streak_days(scope: Scope) -> int:
    streak = _streak(scope)
    return streak.days if streak is not None else 0


@figure(
    "longest_duty_streak_person",
    _("who was on site longest"),
    population=_("The name of the person whose run longest_duty_streak_days counts."),
    period=STREAK_PERIOD,
    unit=pgettext_lazy("figure unit", "a name (none when nobody was on site)"),
    list_url=_roster,
)
def longest_duty_streak_person(scope: Scope) -> str | None:
    streak = _streak(scope)
    return streak.person.name if streak is not None else None
