"""Graduates and their destinations: the careers home, the lists of
graduates, a graduate's record, reporting a destination with its evidence,
the counsellor's confirmation, the 去向落实率, the seeking list with its
follow-ups, and taking the cohort from the roster.

A graduate sees their own record and reports their own destination; a
counsellor the graduates of their classes, whose reports they confirm; the
employment office and admins every graduate; leaders their units'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.forms import first_error
from shouwang.lib import clock
from shouwang.lib.spreadsheets import write_workbook
from shouwang.people.models import DegreeLevel, Person

from . import actions, queries
from .access import (
    confirms,
    follows_graduates,
    get_evidence_for_user,
    get_graduate_for_user,
    get_report_for_user,
    graduates_for_user,
    is_office,
    own_graduate,
    reports_destination,
    require_careers,
    require_follower,
    require_office,
)
from .audit import CareersEvent
from .forms_outcomes import (
    CohortForm,
    DestinationForm,
    DifficultyForm,
    FollowUpForm,
    GraduateFilterForm,
    ReturnForm,
    destination_label,
)
from .models import GROUPS, PLACED, DestinationReport, Difficulty, Graduate, Group

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The reports a graduate's home shows; their record page has every one.
HISTORY = 10
# The reports to confirm a counsellor's home lists; the list of graduates filters them all.
QUEUE = 30


def _pending() -> Exists:
    return Exists(
        DestinationReport.objects.filter(
            graduate=OuterRef("pk"), status=DestinationReport.Status.PENDING
        )
    )


def _chosen_cohort(request: AuthedRequest, cohorts: list[int]) -> int | None:
    """The cohort asked for (`?cohort=`) if the user has it, else their latest."""
    asked = request.GET.get("cohort", "")
    if asked.isdigit() and int(asked) in cohorts:
        return int(asked)
    return cohorts[0] if cohorts else None


def _to_confirm(request: AuthedRequest) -> QuerySet[DestinationReport]:
    """The reports waiting for this user: a counsellor's classes', or every one
    in scope for the office."""
    scope = graduates_for_user(request.user)
    if not is_office(request.user):
        scope = scope.filter(person__admin_class__counsellor_id=request.user.person_id)
    return queries.pending_reports(scope)


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """A graduate's own record; a counsellor's classes and reports to confirm;
    the office's and leaders' overview of the cohort."""
    require_careers(request)
    user = request.user
    context: dict[str, Any] = {"own": None, "follows": follows_graduates(user)}
    own = own_graduate(user)
    if own is not None:
        reports = list(
            own.reports.select_related("reported_by__person", "decided_by").prefetch_related(
                "evidence"
            )[:HISTORY]
        )
        context.update(
            own=own,
            reports=reports,
            # A new report replaces the one waiting: only the latest may be pending.
            latest=reports[0] if reports else None,
            offers=own.offers.select_related("employer", "position"),
        )
    if context["follows"]:
        scope = graduates_for_user(user)
        cohorts = queries.cohorts(scope)
        cohort = cohorts[0] if cohorts else None
        if cohort is not None:
            cohort_graduates = scope.filter(cohort=cohort)
            context.update(
                cohort=cohort,
                summary=_row(queries.rates(cohort_graduates)[0]),
                seeking_count=cohort_graduates.filter(
                    destination__in=GROUPS[Group.NOT_PLACED]
                ).count(),
                difficulty_count=cohort_graduates.exclude(difficulty="").count(),
            )
        context.update(
            office=is_office(user),
            to_confirm=_to_confirm(request)
            .select_related("graduate__person__admin_class", "reported_by__person", "decided_by")
            .prefetch_related("evidence")[:QUEUE],
            return_form=ReturnForm(),
            to_confirm_count=queries.pending_reports(scope).count(),
        )
    return render(request, "careers/index.html", context)


def _distinct(graduates: QuerySet[Graduate], field: str) -> list[str]:
    """The values of `field` among `graduates`, in order: one query."""
    values = graduates.order_by(field).values_list(field, flat=True).distinct()
    return [value for value in values if value]


@login_required
@require_GET
def graduate_list(request: AuthedRequest) -> HttpResponse:
    require_follower(request)
    scope = graduates_for_user(request.user)
    form = GraduateFilterForm(
        request.GET or None,
        cohorts=queries.cohorts(scope),
        classes=_distinct(scope, "person__admin_class__name"),
        majors=_distinct(scope, "person__programme"),
    )
    graduates = scope.select_related("person__admin_class").annotate(pending=_pending())
    if form.is_valid():
        data = form.cleaned_data
        if data["cohort"]:
            graduates = graduates.filter(cohort=data["cohort"])
        if data["admin_class"]:
            graduates = graduates.filter(person__admin_class__name=data["admin_class"])
        if data["major"]:
            graduates = graduates.filter(person__programme=data["major"])
        if data["level"]:
            graduates = graduates.filter(person__degree_level=data["level"])
        if data["group"]:
            graduates = graduates.filter(destination__in=GROUPS[data["group"]])
        if data["difficulty"] == "yes":
            graduates = graduates.exclude(difficulty="")
        elif data["difficulty"]:
            graduates = graduates.filter(difficulty=data["difficulty"])
        if data["pending"]:
            graduates = graduates.filter(pending=True)
    page = Paginator(graduates.order_by("person__number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "careers/graduate_list.html", {"form": form, "page": page})


@login_required
@require_GET
def graduate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    graduate = get_graduate_for_user(request, pk)
    user = request.user
    # A graduate sees their own record; the follow-ups and the difficulty are
    # their counsellor's working notes.
    follows = follows_graduates(user) and graduate.person_id != user.person_id
    may_confirm = confirms(user, graduate)
    reports = graduate.reports.select_related("reported_by__person", "decided_by").prefetch_related(
        "evidence"
    )
    context = {
        "graduate": graduate,
        "destination": destination_label(graduate.destination),
        "reports": reports,
        "offers": graduate.offers.select_related("employer", "position", "fair"),
        "follows": follows,
        "follow_ups": graduate.follow_ups.select_related("by") if follows else [],
        "may_confirm": may_confirm,
        "may_report": reports_destination(user, graduate),
        "return_form": ReturnForm(),
        "difficulty_form": DifficultyForm(initial={"difficulty": graduate.difficulty}),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "careers/graduate_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def destination_report(request: AuthedRequest, pk: int) -> HttpResponse:
    """The graduate (or the office for them) reports a destination, with its evidence."""
    graduate = get_graduate_for_user(request, pk)
    if not reports_destination(request.user, graduate):
        raise PermissionDenied
    form = DestinationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.report_destination(
                graduate,
                data["destination"],
                organisation=data["organisation"],
                city=data["city"],
                files=data["evidence"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report is sent to the counsellor to confirm."))
            if graduate.person_id == request.user.person_id:
                return redirect("careers:index")
            return redirect(graduate)
    pending = graduate.reports.filter(status=DestinationReport.Status.PENDING).first()
    context = {"graduate": graduate, "form": form, "pending": pending}
    return render(request, "careers/destination_form.html", context)


@login_required
@require_GET
def evidence(request: AuthedRequest, pk: int) -> FileResponse:
    """A report's evidence, to whoever sees the graduate; a read by anyone but
    the graduate is recorded."""
    file = get_evidence_for_user(request, pk)
    graduate = file.report.graduate
    if graduate.person_id != request.user.person_id:
        audit.record(
            CareersEvent.EVIDENCE_READ,
            graduate,
            acting_user=request.user,
            request=request,
            evidence=file.pk,
            report=file.report_id,
        )
    return file.download()


def _decided(request: AuthedRequest, report: DestinationReport) -> HttpResponse:
    if request.POST.get("back") == "index":
        return redirect("careers:index")
    return redirect(report.graduate)


def _report_to_decide(request: AuthedRequest, pk: int) -> DestinationReport:
    report = get_report_for_user(request, pk)
    if not confirms(request.user, report.graduate):
        raise PermissionDenied
    return report


@login_required
@require_POST
def report_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report_to_decide(request, pk)
    try:
        actions.confirm_report(report, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(graduate)s's destination is confirmed.") % {"graduate": report.graduate},
        )
    return _decided(request, report)


@login_required
@require_POST
def report_return(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report_to_decide(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _decided(request, report)
    try:
        actions.return_report(report, form.cleaned_data["note"], acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The report goes back to %(graduate)s.") % {"graduate": report.graduate}
        )
    return _decided(request, report)


@dataclass(frozen=True)
class RateRow:
    """A line of the rates page: who, how many, the rate, and each group's
    count with its share."""

    key: str
    label: str
    rate: queries.Rate
    cells: list[tuple[str, int, Decimal | None]]


def _row(rate: queries.Rate, labels: dict[str, Any] | None = None) -> RateRow:
    return RateRow(
        key=rate.key,
        label=str((labels or {}).get(rate.key, rate.key)),
        rate=rate,
        cells=[
            (
                str(Group(group).label),
                rate.groups[group],
                queries.percent(rate.groups[group], rate.graduates),
            )
            for group in GROUPS
        ],
    )


def _rows(rates: list[queries.Rate], labels: dict[str, Any] | None = None) -> list[RateRow]:
    return [_row(rate, labels) for rate in rates]


def _tables(graduates: QuerySet[Graduate]) -> list[tuple[str, str, list[RateRow]]]:
    """The rates by class, major and level: (title, the list's filter, lines)."""
    levels = dict(DegreeLevel.choices)
    return [
        (_("By class"), "admin_class", _rows(queries.rates(graduates, "class"))),
        (_("By major"), "major", _rows(queries.rates(graduates, "major"))),
        (_("By degree level"), "level", _rows(queries.rates(graduates, "level"), levels)),
    ]


@login_required
@require_GET
def rates(request: AuthedRequest) -> HttpResponse:
    """去向落实率 of the user's graduates of one cohort, in total and by class,
    major and level: one query each."""
    require_follower(request)
    scope = graduates_for_user(request.user)
    cohorts = queries.cohorts(scope)
    cohort = _chosen_cohort(request, cohorts)
    context: dict[str, Any] = {"cohorts": cohorts, "cohort": cohort, "groups": Group.choices}
    if cohort is not None:
        graduates = scope.filter(cohort=cohort)
        context.update(total=_row(queries.rates(graduates)[0]), tables=_tables(graduates))
    return render(request, "careers/rates.html", context)


@login_required
@require_GET
def rates_export(request: AuthedRequest) -> HttpResponse:
    """The rates page as a workbook: a sheet for the total and one for each table.
    Counts only, no graduate named: not an audited read."""
    require_follower(request)
    scope = graduates_for_user(request.user)
    cohort = _chosen_cohort(request, queries.cohorts(scope))
    if cohort is None:
        raise Http404
    graduates = scope.filter(cohort=cohort)
    headers = [
        "",
        pgettext("count", "graduates"),
        _("placed"),
        _("destination rate") + " %",
        *(str(label) for _code, label in Group.choices),
    ]

    def lines(rows: list[RateRow]) -> list[list[Any]]:
        return [
            [row.label or "—", row.rate.graduates, row.rate.placed, row.rate.rate]
            + [count for _label, count, _share in row.cells]
            for row in rows
        ]

    total = _row(queries.rates(graduates)[0], {"": _("Total")})
    data = write_workbook(
        [(str(_("Total")), headers, lines([total]))]
        + [(str(title), headers, lines(rows)) for title, _param, rows in _tables(graduates)]
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rates-{cohort}.xlsx"'
    return response


@login_required
@require_GET
def seeking(request: AuthedRequest) -> HttpResponse:
    """The graduates not yet placed, those in difficulty first, with their
    last follow-up; marked when none in the last fortnight."""
    require_follower(request)
    scope = graduates_for_user(request.user)
    cohorts = queries.cohorts(scope)
    cohort = _chosen_cohort(request, cohorts)
    graduates = queries.seeking(scope.filter(cohort=cohort) if cohort is not None else scope.none())
    page = Paginator(graduates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohorts": cohorts,
        "cohort": cohort,
        "page": page,
        "due": clock.today() - dt.timedelta(days=queries.FOLLOW_UP_DAYS),
        "days": queries.FOLLOW_UP_DAYS,
    }
    return render(request, "careers/seeking.html", context)


def _graduate_followed(request: AuthedRequest, pk: int) -> Graduate:
    """A graduate whose difficulty and follow-ups this user keeps: their
    counsellor, or the office."""
    graduate = get_graduate_for_user(request, pk)
    if not confirms(request.user, graduate):
        raise PermissionDenied
    return graduate


@login_required
@require_POST
def graduate_difficulty(request: AuthedRequest, pk: int) -> HttpResponse:
    graduate = _graduate_followed(request, pk)
    form = DifficultyForm(request.POST)
    if form.is_valid():
        actions.set_difficulty(graduate, form.cleaned_data["difficulty"], acting_user=request.user)
        difficulty = form.cleaned_data["difficulty"]
        if difficulty:
            messages.success(
                request,
                _("%(graduate)s is followed up for: %(difficulty)s.")
                % {"graduate": graduate, "difficulty": Difficulty(difficulty).label},
            )
        else:
            messages.success(
                request, _("%(graduate)s is no longer in difficulty.") % {"graduate": graduate}
            )
    else:
        messages.error(request, first_error(form))
    return redirect(graduate)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record what was done for a graduate still seeking work."""
    graduate = _graduate_followed(request, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.follow_up(
            graduate,
            data["note"],
            on=data["on"],
            next_step=data["next_step"],
            acting_user=request.user,
        )
        messages.success(request, _("The follow-up is recorded."))
        return redirect(graduate)
    last = graduate.follow_ups.aggregate(last=Max("on"))["last"]
    context = {"graduate": graduate, "form": form, "last": last}
    return render(request, "careers/follow_up_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cohort(request: AuthedRequest) -> HttpResponse:
    """Take a graduating cohort (届) from the roster's graduating students."""
    require_office(request)
    today = clock.today()
    # From September the next summer's graduates are the cohort being prepared.
    form = CohortForm(
        request.POST or None,
        initial={"cohort": today.year + 1 if today.month >= 9 else today.year},
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["cohort"]
        added = actions.enrol_cohort(
            year,
            Person.objects.filter(kind=Person.Kind.STUDENT, graduating=True),
            acting_user=request.user,
        )
        messages.success(
            request,
            _("%(added)d graduates added to the %(cohort)d cohort.")
            % {"added": added, "cohort": year},
        )
        return redirect("careers:cohort")
    graduating = Person.objects.filter(kind=Person.Kind.STUDENT, graduating=True)
    context = {
        "form": form,
        "cohorts": Graduate.objects.order_by("-cohort")
        .values("cohort")
        .annotate(graduates=Count("pk"), placed=Count("pk", filter=Q(destination__in=PLACED))),
        "graduating": graduating.count(),
        "not_enrolled": graduating.filter(graduate__isnull=True).count(),
    }
    return render(request, "careers/cohort.html", context)
