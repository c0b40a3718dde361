import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from PIL import Image

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.lib.images import is_readable

from . import actions
from .access import (
    can_report_service,
    can_review,
    can_see_roster,
    get_service_report_for_user,
    get_shift_for_user,
    get_signup_for_lead,
    get_team_for_user,
    is_member,
    leads,
    require_lead,
    require_reviewer,
    require_roster_keeper,
    require_service_reporter,
    roster_people_for_user,
    service_reports_for_user,
    shifts_for_user,
    teams_for_user,
)
from .audit import VolunteerEvent
from .duty import due_for_relief, streaks_on
from .forms import DayForm, DutyForm, ReviewForm, ServiceReportForm, ShiftForm
from .models import DutyDay, ServiceReport
from .queries import GROUP_LABELS, hours_by_person, hours_by_team, service_figures, teams_by_kind

SHIFTS_SHOWN = 50
REPORTS_SHOWN = 100
# A university's staff make thousands of rows a day, and hundreds may be due
# a relief at once: the longest streaks are shown, and how many more there are.
ROSTER_PER_PAGE = 100
ALERTS_SHOWN = 20


@login_required
@require_GET
def team_list(request: AuthedRequest) -> HttpResponse:
    """My teams and their coming shifts, my hours; for leaders, every team and the counts."""
    teams = teams_for_user(request.user).annotate(member_count=Count("memberships"))
    coming = (
        shifts_for_user(request.user)
        .filter(ends_at__gt=clock.now())
        .select_related("team")
        .annotate(taken=Count("signups"))
    )
    mine: set[int] = set()
    if request.user.person_id:
        mine = set(
            coming.filter(signups__person_id=request.user.person_id).values_list("pk", flat=True)
        )
    context: dict[str, Any] = {
        "teams": teams,
        "shifts": coming[:SHIFTS_SHOWN],
        "mine": mine,
        "my_hours": hours_by_person([request.user.person_id]).get(request.user.person_id),  # type: ignore[arg-type]
        "sees_everyone": request.user.reaches_all,
        "oversees": request.user.oversees,
        "can_see_roster": can_see_roster(request.user),
    }
    if request.user.oversees:
        context["by_kind"] = teams_by_kind(teams_for_user(request.user))
        context["team_hours"] = hours_by_team(teams)
    return render(request, "volunteers/team_list.html", context)


@login_required
@require_GET
def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request, pk)
    is_lead = leads(request.user, team)
    memberships = team.memberships.select_related("person").order_by("-is_lead", "person__number")
    shifts = team.shifts.annotate(taken=Count("signups")).order_by("-starts_at")[:SHIFTS_SHOWN]
    context = {
        "team": team,
        "is_lead": is_lead,
        "memberships": memberships,
        "shifts": shifts,
        "hours": hours_by_person(memberships.values("person_id")) if is_lead else {},
        "team_hours": hours_by_team([team]).get(team.pk),
    }
    return render(request, "volunteers/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request, pk)
    require_lead(request, team)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shift = actions.add_shift(
            team, **form.cleaned_data, acting_user=request.user, request=request
        )
        messages.success(request, _("The shift is open for sign-ups."))
        return redirect(shift)
    return render(request, "volunteers/shift_form.html", {"form": form, "team": team})


@login_required
@require_GET
def shift_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    shift = get_shift_for_user(request, pk)
    signups = list(shift.signups.select_related("person").order_by("signed_up_at", "pk"))
    mine = next((s for s in signups if s.person_id == request.user.person_id), None)
    is_lead = leads(request.user, shift.team)
    context = {
        "shift": shift,
        "signups": signups if is_lead else [],
        "taken": len(signups),
        "mine": mine,
        "is_lead": is_lead,
        "is_member": is_member(request.user, shift.team),
        "now": clock.now(),
    }
    return render(request, "volunteers/shift_detail.html", context)


@login_required
@require_POST
def shift_signup(request: AuthedRequest, pk: int) -> HttpResponse:
    shift = get_shift_for_user(request, pk)
    if not is_member(request.user, shift.team):
        raise PermissionDenied
    try:
        actions.sign_up(shift, request.user.person, acting_user=request.user, request=request)  # type: ignore[arg-type]  # a member has a person
    except actions.ShiftFull:
        messages.warning(request, _("Sorry, the shift is full."))
    except actions.ShiftStarted:
        messages.warning(request, _("The shift has started: sign-ups are closed."))
    except actions.AlreadySignedUp:
        messages.info(request, _("You are already signed up."))
    else:
        messages.success(request, _("You are signed up. Thank you!"))
    return redirect(shift)


@login_required
@require_POST
def shift_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    shift = get_shift_for_user(request, pk)
    if not is_member(request.user, shift.team):
        raise PermissionDenied
    try:
        actions.withdraw(shift, request.user.person, acting_user=request.user, request=request)  # type: ignore[arg-type]  # a member has a person
    except actions.PastCutoff:
        messages.warning(
            request, _("It is too late to withdraw: please tell your team lead instead.")
        )
    except actions.NotSignedUp:
        messages.info(request, _("You are not signed up to this shift."))
    else:
        messages.success(request, _("You have withdrawn; your place is free for someone else."))
    return redirect(shift)


@login_required
@require_POST
def signup_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    signup = get_signup_for_lead(request, pk)
    try:
        actions.check_in(signup, acting_user=request.user, request=request)
    except actions.AlreadyCheckedIn:
        messages.info(request, _("%(name)s was already checked in.") % {"name": signup.person.name})
    return redirect(signup.shift)


@login_required
@require_POST
def signup_check_out(request: AuthedRequest, pk: int) -> HttpResponse:
    signup = get_signup_for_lead(request, pk)
    try:
        actions.check_out(signup, acting_user=request.user, request=request)
    except actions.ShiftError:
        messages.warning(
            request,
            _("%(name)s cannot be checked out: not checked in, or already out.")
            % {"name": signup.person.name},
        )
    return redirect(signup.shift)


@login_required
@require_http_methods(["GET", "POST"])
def duty_roster(request: AuthedRequest) -> HttpResponse:
    """A day's roster, who is due a relief, and a form to put someone's day on it."""
    require_roster_keeper(request)
    day_form = DayForm(request.GET)
    day, mode = day_form.day(), day_form.chosen_mode()
    people = roster_people_for_user(request.user)
    form = DutyForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_duty(
            data["person"],
            day,
            mode=data["mode"],
            role=data["role"].strip(),
            acting_user=request.user,
            request=request,
        )
        messages.success(request, _("The roster is updated."))
        return redirect(f"{reverse('volunteers:duty_roster')}?date={day.isoformat()}")
    rows = DutyDay.objects.filter(date=day, person__in=people)
    if mode:
        rows = rows.filter(mode=mode)
    rows = rows.select_related("person").order_by("mode", "person__number")
    page = Paginator(rows, ROSTER_PER_PAGE).get_page(request.GET.get("page"))
    # How many days in a row each one on site has been, this day included.
    streaks = streaks_on(day, [row.person_id for row in page])
    for row in page:
        row.streak = streaks.get(row.person_id, (day, 0))[1]  # type: ignore[attr-defined]
    # Everyone due a relief, whichever page their row is on; the longest first.
    alerts = due_for_relief(day, people)
    context = {
        "day": day,
        "page": page,
        "mode": mode,
        "mode_label": DutyDay.Mode(mode).label if mode else "",
        "form": form,
        "alerts": alerts[:ALERTS_SHOWN],
        "more_alerts": max(0, len(alerts) - ALERTS_SHOWN),
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
    }
    return render(request, "volunteers/duty_roster.html", context)


@login_required
@require_GET
def service_list(request: AuthedRequest) -> HttpResponse:
    """A student's own reports; a counsellor's students' reports, waiting first;
    for leaders, every report and the counts by political status."""
    reports = (
        service_reports_for_user(request.user)
        .select_related("person__admin_class")
        # Those waiting for a decision first.
        .alias(done=Case(When(status=ServiceReport.Status.SUBMITTED, then=0), default=1))
        .order_by("done", "-date", "-pk")
    )
    context = {"reports": reports[:REPORTS_SHOWN], "can_report": can_report_service(request.user)}
    if request.user.oversees:
        figures = service_figures(reports=service_reports_for_user(request.user))
        context["figures"] = [
            {"label": label, **figures.rows.get(group, {"people": 0, "provinces": 0, "reports": 0})}
            for group, label in GROUP_LABELS.items()
        ]
        context["total"] = figures.total
    return render(request, "volunteers/service_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: AuthedRequest) -> HttpResponse:
    require_service_reporter(request)
    form = ServiceReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.submit_report(
                request.user.person,  # type: ignore[arg-type]  # a student has a person
                **form.cleaned_data,
                acting_user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("photo", exc)
        else:
            messages.success(request, _("Thank you! Your counsellor will look at your report."))
            return redirect(report)
    return render(request, "volunteers/service_form.html", {"form": form})


@login_required
@require_GET
def service_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = get_service_report_for_user(request, pk)
    if report.person_id != request.user.person_id:
        audit.record(
            VolunteerEvent.SERVICE_REPORT_VIEWED, report, acting_user=request.user, request=request
        )
    reviewer = can_review(request.user, report)
    form = ReviewForm() if reviewer and report.status == ServiceReport.Status.SUBMITTED else None
    context = {"report": report, "form": form, "photo_readable": _photo_readable(report)}
    return render(request, "volunteers/service_detail.html", context)


def _photo_readable(report: ServiceReport) -> bool:
    return bool(report.photo) and is_readable(report.photo)


@login_required
@require_POST
def service_review(request: AuthedRequest, pk: int) -> HttpResponse:
    report = get_service_report_for_user(request, pk)
    require_reviewer(request, report)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        context = {"report": report, "form": form, "photo_readable": _photo_readable(report)}
        return render(request, "volunteers/service_detail.html", context)
    try:
        actions.review_report(
            report,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"].strip(),
            acting_user=request.user,
            request=request,
        )
    except actions.ReviewError:
        messages.info(request, _("This report was already approved or returned."))
    else:
        messages.success(request, _("Done: the student sees your decision."))
    return redirect(report)


@login_required
@require_GET
def service_photo(request: AuthedRequest, pk: int) -> FileResponse:
    """The photo is served to those who may see the report, never from a public URL."""
    report = get_service_report_for_user(request, pk)
    # A photo stored before it was checked may be damaged or gone: not found,
    # never an error page.
    if not _photo_readable(report):
        raise Http404
    # A photo stored before uploads were checked, or lost from the disk since,
    # is not there to show: the page says so rather than failing.
    try:
        photo = report.photo.open("rb")
    except OSError:
        raise Http404 from None
    try:
        with Image.open(photo) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        photo.close()
        raise Http404 from None
    photo.seek(0)
    return FileResponse(photo)
