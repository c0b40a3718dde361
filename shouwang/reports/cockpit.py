"""The leaders' cockpit: the day's figures of every module, each with its
trend over the last days and the list it counts.

One panel per module, in the order of a morning's questions: who checked in
and who did not (the compliance tallies), who was flagged (screening), who is
isolated and which meals were missed (care), which help requests wait
(helpdesk), which lessons were held and who attended (teaching), which
measures are late (work plan), what runs short (supplies) and who is on duty
(the duty roster). Each panel is counted for every day of the window by one
or two grouped statements of its module, through that module's own scope for
the reader (`reach_unit_ids` for a leader, everything for an admin), so the
number of statements does not grow with the people, the days or the rows;
check-ins come from the minute's tallies (`compliance.tallies`), never from a
join of everyone with their check-ins.

A figure of a past day that its module can only list as it stands now (the
open help requests, the isolations, the late measures, the low stock) leads
to no list: the list would not be the one counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet, Value
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shouwang.care.access import deliveries_for_user, isolations_for_user
from shouwang.care.models import MealDelivery
from shouwang.checkins.queries import default_day, default_incident
from shouwang.compliance import tallies
from shouwang.compliance.counts import scope_for
from shouwang.helpdesk.access import handled_for_user
from shouwang.helpdesk.models import HelpRequest
from shouwang.helpdesk.queries import late_q, open_at_q, overdue_q
from shouwang.lib import clock
from shouwang.screening.access import flags_for_user
from shouwang.supplies.access import stores_for_user
from shouwang.supplies.queries import low_stock_by_day
from shouwang.teaching.access import overseen_unit_ids
from shouwang.teaching.models import Attendance, Lesson
from shouwang.volunteers.access import roster_people_for_user
from shouwang.volunteers.models import DutyDay
from shouwang.workplan.access import led_plans_q
from shouwang.workplan.models import Measure, Status
from shouwang.workplan.queries import late_on_q

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shouwang.accounts.models import User
    from shouwang.incidents.models import Incident

# The panels' titles, in the cockpit's order (MODULES counts them).
TITLES: dict[str, str | Promise] = {
    "checkins": gettext_lazy("Check-ins"),
    "screening": gettext_lazy("Screening"),
    "care": gettext_lazy("Isolation and meals"),
    "helpdesk": gettext_lazy("Help requests"),
    "teaching": gettext_lazy("Teaching"),
    "workplan": gettext_lazy("Work plan"),
    "supplies": gettext_lazy("Supplies"),
    "volunteers": gettext_lazy("Duty roster"),
}

# The cockpit's trend: two weeks, about an incident's first days.
TREND_DAYS = 14
# A module's overview page looks further back.
MODULE_DAYS = 30


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Figure:
    """One number of the day, what it is, and the list it counts."""

    key: str
    label: str
    value: int | float | None
    percent: bool = False
    # A word on what it is out of ("of 120 expected").
    note: str = ""
    # The lists it counts: one, or one per part (a work plan each).
    links: list[Link] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        return self.links[0].url if len(self.links) == 1 else None


@dataclass
class Series:
    """A figure's value on each day of the window (None: nothing to count that day)."""

    key: str
    label: str
    values: Sequence[int | float | None]
    percent: bool = False


@dataclass
class Panel:
    """A module's figures of the day and their trend over `days`."""

    key: str
    title: str
    figures: list[Figure]
    series: list[Series]
    # Why the panel has nothing to show (no incident), if it has not.
    note: str = ""
    days: list[dt.date] = field(default_factory=list)
    # Each day as the table names it ("4月12日"), set with `days`.
    day_labels: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, list[int | float | None]]]:
        """The table under the chart: each day with its series' values, the latest first."""
        by_day = [
            (label, [series.values[n] for series in self.series])
            for n, label in enumerate(self.day_labels)
        ]
        return by_day[::-1]

    @property
    def chart(self) -> dict[str, Any]:
        """What charts.js draws: the days' labels and each series."""
        return {
            "labels": [f"{day.month}/{day.day}" for day in self.days],
            "series": [
                {"name": series.label, "data": series.values, "percent": series.percent}
                for series in self.series
            ],
        }

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


@dataclass
class Cockpit:
    day: dt.date
    days: list[dt.date]
    incident: Incident | None
    panels: list[Panel]

    def __post_init__(self) -> None:
        # Formatted once for every panel's table: a template filter per cell costs more.
        labels = [date_format(day, _("N j")) for day in self.days]
        for panel in self.panels:
            panel.days, panel.day_labels = self.days, labels

    @property
    def query(self) -> str:
        """The query string that shows this incident and day again."""
        chosen = {"incident": self.incident.pk} if self.incident else {}
        return urlencode({**chosen, "date": self.day.isoformat()})

    def panel(self, key: str) -> Panel:
        return next(panel for panel in self.panels if panel.key == key)

    def figure(self, key: str) -> Figure:
        """The figure "panel.figure" ("checkins.missing")."""
        panel_key, figure_key = key.split(".")
        return next(f for f in self.panel(panel_key).figures if f.key == figure_key)


@dataclass(frozen=True)
class Window:
    """Whose cockpit, on which day, over which days."""

    user: User
    day: dt.date
    days: list[dt.date]
    incident: Incident | None
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return clock.today()

    def is_today(self, day: dt.date) -> bool:
        return day >= self.today

    def end_of(self, day: dt.date) -> dt.datetime:
        """When `day` is over, or now for today: the moment its standing is counted at."""
        return min(clock.at(day + dt.timedelta(days=1), dt.time()), self.now)


def _url(name: str, **query: Any) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _per_day(
    queryset: QuerySet[Any], days: list[dt.date], **conditions: Callable[[dt.date], Q]
) -> dict[str, list[int]]:
    """{name: [the rows meeting `conditions[name](day)`, for each day]}: one statement."""
    counts = {
        f"{name}_{n}": Count("pk", filter=condition(day))
        for name, condition in conditions.items()
        for n, day in enumerate(days)
    }
    # Grouped by a constant rather than aggregate(): the same single row, without
    # aggregate()'s rewriting of every filter, which costs more than the query.
    rows = list(queryset.order_by().values(all=Value(1)).annotate(**counts))
    counted = rows[0] if rows else dict.fromkeys(counts, 0)
    return {name: [counted[f"{name}_{n}"] for n in range(len(days))] for name in conditions}


def _by_date(rows: Any, days: list[dt.date], name: str) -> list[int]:
    found = {row["date"]: row[name] for row in rows}
    return [found.get(day, 0) for day in days]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def checkins(w: Window) -> Panel:
    """Checked in and not, from the compliance tallies of the reader's units."""
    title = str(TITLES["checkins"])
    if w.incident is None:
        return Panel("checkins", title, [], [], _("No incident: nobody is asked to check in."))
    incident = w.incident
    scope = scope_for(w.user)
    points = {point.date: point.counts for point in tallies.trend(incident, scope, 0)}
    counted = [points.get(day) if incident.covers(day) else None for day in w.days]
    today = points.get(w.day)
    query = {"incident": incident.pk, "date": w.day.isoformat()}
    return Panel(
        "checkins",
        title,
        [
            Figure(
                "reported",
                _("Checked in"),
                today.reported if today else None,
                note=_("of %(expected)d expected (%(percent)d%%)")
                % {"expected": today.expected, "percent": today.percent}
                if today
                else "",
                links=[Link(_("Compliance"), _url("compliance:overview", **query))],
            ),
            Figure(
                "missing",
                _("Not checked in"),
                today.missing if today else None,
                links=[Link(_("Not checked in"), _url("compliance:missing", **query))],
            ),
        ],
        [
            Series(
                "percent",
                _("Check-in rate"),
                [c.percent if c and c.expected else None for c in counted],
                percent=True,
            ),
            Series("missing", _("Not checked in"), [c.missing if c else None for c in counted]),
        ],
    )


def screening(w: Window) -> Panel:
    """The flags raised each day (the abnormal list), and those still open."""
    title = str(TITLES["screening"])
    if w.incident is None:
        return Panel("screening", title, [], [], _("No incident: no check-ins to screen."))
    rows = (
        flags_for_user(w.user)
        .filter(incident=w.incident, date__range=(w.days[0], w.days[-1]))
        .order_by()
        .values("date")
        .annotate(raised=Count("pk"), open=Count("pk", filter=Q(resolved_at__isnull=True)))
    )
    raised, still_open = _by_date(rows, w.days, "raised"), _by_date(rows, w.days, "open")
    query = {"incident": w.incident.pk, "date": w.day.isoformat()}
    return Panel(
        "screening",
        title,
        [
            Figure(
                "flags",
                _("Flags raised"),
                raised[-1],
                links=[Link(_("Flags"), _url("screening:flag_list", **query, status="all"))],
            ),
            Figure(
                "open_flags",
                _("Flags still open"),
                still_open[-1],
                links=[Link(_("Open flags"), _url("screening:flag_list", **query, status="open"))],
            ),
        ],
        [
            Series("flags", _("Flags raised"), list(raised)),
            Series("open_flags", _("Flags still open"), list(still_open)),
        ],
    )


def care(w: Window) -> Panel:
    """The people in isolation at the end of each day (today: now) and the
    day's meals: planned, delivered and missed."""

    def isolated(day: dt.date) -> Q:
        if w.is_today(day):
            return Q(ended_at__isnull=True)  # the isolation list's "now"
        end = w.end_of(day)  # Isolation.active_at(end)
        return Q(started_at__lte=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=end))

    in_isolation = _per_day(isolations_for_user(w.user), w.days, isolated=isolated)["isolated"]
    rows = (
        deliveries_for_user(w.user)
        .filter(date__range=(w.days[0], w.days[-1]))
        .order_by()
        .values("date")
        .annotate(
            meals=Count("pk"),
            delivered=Count("pk", filter=Q(status=MealDelivery.Status.DELIVERED)),
            missed=Count("pk", filter=Q(status=MealDelivery.Status.MISSED)),
        )
    )
    meals, delivered = _by_date(rows, w.days, "meals"), _by_date(rows, w.days, "delivered")
    missed = _by_date(rows, w.days, "missed")
    day = w.day.isoformat()
    isolation_links = (
        [Link(_("Isolation"), _url("care:isolation_list"))] if w.is_today(w.day) else []
    )
    return Panel(
        "care",
        str(TITLES["care"]),
        [
            Figure("isolated", _("In isolation"), in_isolation[-1], links=isolation_links),
            Figure(
                "delivered",
                _("Meals delivered"),
                delivered[-1],
                note=_("of %(meals)d") % {"meals": meals[-1]},
                links=[Link(_("Meal rounds"), _url("care:routes", date=day))],
            ),
            Figure(
                "missed",
                _("Meals missed"),
                missed[-1],
                links=[
                    Link(
                        _("Missed meals"),
                        _url("care:routes", date=day, status=MealDelivery.Status.MISSED),
                    )
                ],
            ),
        ],
        [
            Series("isolated", _("In isolation"), in_isolation),
            Series("meals", _("Meals"), meals),
            Series("missed", _("Meals missed"), missed),
        ],
    )


def helpdesk(w: Window) -> Panel:
    """Help requests open and overdue at the end of each day (today: now, by
    their status, as the list shows them)."""

    def is_open(day: dt.date) -> Q:
        if w.is_today(day):
            return Q(status__in=HelpRequest.OPEN)
        return open_at_q(w.end_of(day))

    def overdue(day: dt.date) -> Q:
        if w.is_today(day):
            return overdue_q(w.now)
        return open_at_q(w.end_of(day)) & late_q(w.end_of(day))

    counted = _per_day(handled_for_user(w.user), w.days, open=is_open, overdue=overdue)
    listed = w.is_today(w.day)
    return Panel(
        "helpdesk",
        str(TITLES["helpdesk"]),
        [
            Figure(
                "open",
                _("Still open"),
                counted["open"][-1],
                links=[Link(_("Open requests"), _url("helpdesk:request_list", state="open"))]
                if listed
                else [],
            ),
            Figure(
                "overdue",
                _("Overdue"),
                counted["overdue"][-1],
                links=[Link(_("Overdue requests"), _url("helpdesk:request_list", state="overdue"))]
                if listed
                else [],
            ),
        ],
        [
            Series("open", _("Still open"), counted["open"]),
            Series("overdue", _("Overdue"), counted["overdue"]),
        ],
    )


def teaching(w: Window) -> Panel:
    """Lessons held each day and the absences marked at them; the day's
    attendance (present or late over every row), as the online-teaching
    report counts them for the reader's units.

    The trend counts absences, not the rate: a rate reads every attendance
    row of the window (70,000 a day for 30,000 students), the absences only
    their few entries of the `attendance_by_lesson` index. The rate is read
    for the one day shown."""
    units = overseen_unit_ids(w.user)
    of_units = Q() if units is None else Q(lesson__teaching_class__unit_id__in=units)
    first, last = w.days[0], w.days[-1]
    held_rows = (
        Lesson.objects.filter(
            Q() if units is None else Q(teaching_class__unit_id__in=units),
            date__range=(first, last),
            status=Lesson.Status.HELD,
        )
        .order_by()
        .values("date")
        .annotate(held=Count("pk"))
    )
    held = _by_date(held_rows, w.days, "held")
    # Counting student_id: the attendance_by_lesson index answers alone.
    absent_rows = (
        Attendance.objects.filter(
            of_units, lesson__date__range=(first, last), status=Attendance.Status.ABSENT
        )
        .order_by()
        .values(date=F("lesson__date"))
        .annotate(absent=Count("student_id"))
    )
    absent = _by_date(absent_rows, w.days, "absent")
    attended = Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])
    day = (
        Attendance.objects.filter(of_units, lesson__date=w.day)
        .order_by()
        .aggregate(rows=Count("student_id"), attended=Count("student_id", filter=attended))
    )
    held_lessons = _url("teaching:lesson_list", date=w.day.isoformat(), status=Lesson.Status.HELD)
    lessons = _url("teaching:lesson_list", date=w.day.isoformat())
    return Panel(
        "teaching",
        str(TITLES["teaching"]),
        [
            Figure(
                "held",
                _("Lessons held"),
                held[-1],
                links=[Link(_("The day's lessons held"), held_lessons)],
            ),
            Figure(
                "attendance",
                _("Attendance"),
                _percent(day["attended"], day["rows"]),
                percent=True,
                note=ngettext("%(absent)d absence", "%(absent)d absences", absent[-1])
                % {"absent": absent[-1]}
                if day["rows"]
                else "",
                links=[Link(_("The day's lessons"), lessons)],
            ),
        ],
        [
            Series("held", _("Lessons held"), held),
            Series("absent", _("Absences"), absent),
        ],
    )


def workplan(w: Window) -> Panel:
    """The measures of the plans the reader leads that were late at the end
    of each day; today's lead to each plan's list of its late measures."""
    per_day = {f"late_{n}": Count("pk", filter=late_on_q(day)) for n, day in enumerate(w.days)}
    rows = list(
        Measure.objects.filter(led_plans_q(w.user, "key_point__area__plan__"))
        .order_by()
        .values("key_point__area__plan_id", "key_point__area__plan__title")
        .annotate(**per_day)
        .order_by("key_point__area__plan__title", "key_point__area__plan_id")
    )
    late = [sum(row[f"late_{n}"] for row in rows) for n in range(len(w.days))]
    links = []
    if w.is_today(w.day):
        last = f"late_{len(w.days) - 1}"
        links = [
            Link(
                f"{row['key_point__area__plan__title']} ({row[last]})",
                reverse("workplan:plan_overview", args=[row["key_point__area__plan_id"]])
                + "?"
                + urlencode({"state": Status.LATE}),
            )
            for row in rows
            if row[last]
        ]
    return Panel(
        "workplan",
        str(TITLES["workplan"]),
        [Figure("late", _("Measures late"), late[-1], links=links)],
        [Series("late", _("Measures late"), late)],
    )


def supplies(w: Window) -> Panel:
    """The minimum levels not met in the stores the reader runs, at the end of each day."""
    low = low_stock_by_day(stores_for_user(w.user), w.days)
    values = [low[day] for day in w.days]
    links = [Link(_("Low stock"), _url("supplies:index"))] if w.is_today(w.day) else []
    return Panel(
        "supplies",
        str(TITLES["supplies"]),
        [Figure("low", _("Items below their minimum"), values[-1], links=links)],
        [Series("low", _("Items below their minimum"), values)],
    )


def volunteers(w: Window) -> Panel:
    """Staff on the duty roster each day, on site and working remotely."""
    rows = (
        DutyDay.objects.filter(
            person__in=roster_people_for_user(w.user), date__range=(w.days[0], w.days[-1])
        )
        .order_by()
        .values("date")
        .annotate(
            on_site=Count("pk", filter=Q(mode=DutyDay.Mode.ON_SITE)),
            remote=Count("pk", filter=Q(mode=DutyDay.Mode.REMOTE)),
        )
    )
    on_site, remote = _by_date(rows, w.days, "on_site"), _by_date(rows, w.days, "remote")
    day = w.day.isoformat()
    return Panel(
        "volunteers",
        str(TITLES["volunteers"]),
        [
            Figure(
                "on_site",
                _("On duty on site"),
                on_site[-1],
                links=[
                    Link(
                        _("Duty roster"),
                        _url("volunteers:duty_roster", date=day, mode=DutyDay.Mode.ON_SITE),
                    )
                ],
            ),
            Figure(
                "remote",
                _("Working remotely"),
                remote[-1],
                links=[
                    Link(
                        _("Duty roster"),
                        _url("volunteers:duty_roster", date=day, mode=DutyDay.Mode.REMOTE),
                    )
                ],
            ),
        ],
        [
            Series("on_site", _("On duty on site"), on_site),
            Series("remote", _("Working remotely"), remote),
        ],
    )


# The panels in the cockpit's order, by key.
MODULES: dict[str, Callable[[Window], Panel]] = {
    "checkins": checkins,
    "screening": screening,
    "care": care,
    "helpdesk": helpdesk,
    "teaching": teaching,
    "workplan": workplan,
    "supplies": supplies,
    "volunteers": volunteers,
}


def build(
    user: User,
    day: dt.date | None = None,
    incident: Incident | None = None,
    *,
    modules: list[str] | None = None,
    days: int = TREND_DAYS,
) -> Cockpit:
    """The cockpit of `user` (a leader or an admin) on `day`, with each
    figure's trend over the `days` days ending on it.

    `incident` defaults to the one the check-in pages open on, and `day` to
    that incident's day (today while it runs). `modules` picks panels by key
    (every one by default). A fixed number of statements, whatever the
    number of people or rows."""
    incident = incident or default_incident(user)
    if day is None:
        day = default_day(incident) if incident else clock.today()
    window = Window(
        user=user,
        day=day,
        days=[day - dt.timedelta(days=n) for n in range(days - 1, -1, -1)],
        incident=incident,
        now=clock.now(),
    )
    chosen = [MODULES[key] for key in modules] if modules is not None else MODULES.values()
    return Cockpit(day, window.days, incident, [count(window) for count in chosen])
