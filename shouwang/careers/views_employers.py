"""Employers and their positions: browsed by everyone logged in, run by the
employment office, leaders and admins (who alone see an employer's contact,
its phone masked until asked for, on purpose and audited); the import of an
employer list; a graduate's digest of new positions, muted at will."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.lib.spreadsheets import write_xlsx
from shouwang.people.forms import RevealPhoneForm

from . import actions
from .access import (
    employer_imports_for_user,
    employers_for_user,
    get_employer_for_user,
    get_employer_import_for_user,
    get_position_for_user,
    own_graduate,
    positions_for_user,
    require_runner,
    runs_careers,
    sees_contacts,
)
from .audit import CareersEvent
from .employer_import import EMPLOYER_COLUMNS, EXAMPLE_ROWS
from .forms_employers import (
    DigestMuteForm,
    EmployerForm,
    EmployerImportForm,
    PositionFilterForm,
    PositionForm,
)
from .models import Employer, EmployerImport, Graduate, Position
from .queries import open_positions, wants_major
from .tasks import check_employer_import, commit_employer_import

EMPLOYERS_PAGE_SIZE = 50
# Cards on a phone: a short page loads fast on a slow line.
POSITIONS_PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _major(request: AuthedRequest, graduate: Graduate | None) -> str:
    """A graduate's major: their programme, else their class's."""
    person = request.user.person
    if graduate is None or person is None:
        return ""
    if person.programme:
        return person.programme
    return person.admin_class.programme if person.admin_class else ""


# Employers ---------------------------------------------------------------------


@login_required
@require_GET
def employer_list(request: AuthedRequest) -> HttpResponse:
    """Every employer with its open positions counted; contacts for the runners, phones masked."""
    employers = employers_for_user(request.user).annotate(
        open_positions=Count(
            "positions",
            filter=Q(positions__deadline__isnull=True) | Q(positions__deadline__gte=clock.today()),
        )
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(sector__icontains=query))
    page = Paginator(employers.order_by("name", "pk"), EMPLOYERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "query": query,
        "runs": runs_careers(request.user),
        "contacts": sees_contacts(request.user),
    }
    return render(request, "careers/employer_list.html", context)


@login_required
@require_GET
def employer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = get_employer_for_user(request, pk)
    positions = employer.positions.prefetch_related("majors").order_by("title", "pk")
    context = {
        "employer": employer,
        "positions": positions,
        "today": clock.today(),
        "runs": runs_careers(request.user),
        "contacts": sees_contacts(request.user),
        "reveal_form": RevealPhoneForm(),
    }
    return render(request, "careers/employer_detail.html", context)


@login_required
@require_POST
def employer_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    """The contact's full phone number, for a reason that is recorded."""
    employer = get_employer_for_user(request, pk)
    if not sees_contacts(request.user):
        raise PermissionDenied
    form = RevealPhoneForm(request.POST)
    if form.is_valid():
        audit.record(
            CareersEvent.EMPLOYER_CONTACT_READ,
            employer,
            acting_user=request.user,
            request=request,
            reason=form.cleaned_data["reason"],
        )
    context = {"employer": employer, "reveal_form": form, "revealed": form.is_valid()}
    return render(request, "careers/employer_detail.html#contact", context)


def _employer_form(request: AuthedRequest, employer: Employer | None) -> HttpResponse:
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_employer(form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The employer is saved."))
            return redirect(saved)
    return render(request, "careers/employer_form.html", {"form": form, "employer": employer})


@login_required
@require_http_methods(["GET", "POST"])
def employer_form(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    return _employer_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form shows the contact in full: opening it is a read of the contact."""
    employer = get_employer_for_user(request, pk)
    require_runner(request)
    if request.method == "GET" and employer.contact_phone:
        audit.record(
            CareersEvent.EMPLOYER_CONTACT_READ,
            employer,
            acting_user=request.user,
            request=request,
            reason="edit",
        )
    return _employer_form(request, employer)


# Positions ---------------------------------------------------------------------


def _filtered(
    positions: QuerySet[Position], form: PositionFilterForm, major: str
) -> QuerySet[Position]:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("show") != PositionFilterForm.ALL:
        positions = open_positions(positions, clock.today())
    if data.get("q"):
        positions = positions.filter(
            Q(title__icontains=data["q"]) | Q(employer__name__icontains=data["q"])
        )
    if data.get("major"):
        positions = positions.filter(wants_major(data["major"]))
    if data.get("city"):
        positions = positions.filter(
            Q(city__icontains=data["city"]) | Q(city="", employer__city__icontains=data["city"])
        )
    if data.get("employer"):
        positions = positions.filter(employer=data["employer"])
    if data.get("mine") and major:
        positions = positions.filter(wants_major(major))
    return positions


@login_required
@require_GET
def position_list(request: AuthedRequest) -> HttpResponse:
    """The positions, open ones unless asked; a graduate's own major's first."""
    graduate = own_graduate(request.user)
    major = _major(request, graduate)
    form = PositionFilterForm(request.GET or None, graduate_major=major)
    positions = _filtered(positions_for_user(request.user), form, major)
    order = ["-created_at", "-pk"]
    if major:
        positions = positions.annotate(
            for_me=Case(When(wants_major(major), then=Value(1)), default=Value(0))
        )
        order = ["-for_me", *order]
    positions = positions.prefetch_related("majors").order_by(*order)
    page = Paginator(positions, POSITIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "graduate": graduate,
        "major": major,
        "today": clock.today(),
        "runs": runs_careers(request.user),
    }
    return render(request, "careers/position_list.html", context)


@login_required
@require_GET
def position_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request, pk)
    context = {
        "position": position,
        "majors": position.majors.order_by("programme"),
        "today": clock.today(),
        "runs": runs_careers(request.user),
    }
    return render(request, "careers/position_detail.html", context)


def _position_form(request: AuthedRequest, position: Position | None) -> HttpResponse:
    initial = {}
    if position is None and request.GET.get("employer", "").isdigit():
        initial["employer"] = request.GET["employer"]
    form = PositionForm(request.POST or None, instance=position, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_position(
                form.save(commit=False), form.cleaned_data["majors"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The position is saved."))
            return redirect(saved)
    return render(request, "careers/position_form.html", {"form": form, "position": position})


@login_required
@require_http_methods(["GET", "POST"])
def position_form(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    return _position_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request, pk)
    require_runner(request)
    return _position_form(request, position)


# The digest ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def digest_mute(request: AuthedRequest) -> HttpResponse:
    """A graduate's own daily digest of new positions and fairs: on or muted."""
    graduate = own_graduate(request.user)
    if graduate is None:
        raise Http404
    if request.method == "POST":
        form = DigestMuteForm(request.POST)
        if form.is_valid():
            muted = form.cleaned_data["muted"]
            actions.mute_digest(graduate, muted, acting_user=request.user)
            messages.success(
                request,
                _("The digest is muted.") if muted else _("You will get the digest again."),
            )
            return redirect("careers:digest_mute")
    return render(request, "careers/digest_mute.html", {"graduate": graduate})


# The employer import ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def employer_import(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    form = EmployerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = EmployerImport.objects.create(
            file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_employer_import, started_by=request.user)
        return redirect("careers:employer_import_detail", pk=item.pk)
    context = {
        "form": form,
        "imports": employer_imports_for_user(request.user)[:20],
        "columns": EMPLOYER_COLUMNS.help(),
    }
    return render(request, "careers/employer_import.html", context)


@login_required
@require_GET
def employer_import_template(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    data = write_xlsx(EMPLOYER_COLUMNS.export_headers, EXAMPLE_ROWS, title=_("Employers"))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="employers.xlsx"'
    return response


@login_required
@require_GET
def employer_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_employer_import_for_user(request, pk)
    errors, more_errors = item.error_preview(EMPLOYER_COLUMNS)
    template = "careers/employer_import_detail.html" + ("#status" if request.htmx else "")
    context = {
        "item": item,
        "job": item.job,
        "errors": errors,
        "more_errors": more_errors,
        "columns": EMPLOYER_COLUMNS.help(),
    }
    return render(request, template, context)


@login_required
@require_POST
def employer_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_employer_import_for_user(request, pk)
    if not item.start_commit(commit_employer_import, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("careers:employer_import_detail", pk=item.pk)
