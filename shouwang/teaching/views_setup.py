"""Setting up a term: the term itself, its school calendar (holidays and
swapped working days), and the timetable and enrolment imports. For leaders,
the teaching office and admins (`access.require_teaching_overseer`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.importing import Columns, ImportRecord
from shouwang.core.models import CalendarDay

from . import actions
from .access import get_import_for_user, imports_for_user, require_teaching_overseer
from .forms import CalendarDayForm, ImportUploadForm, TermForm
from .imports import ENROLMENT_COLUMNS, TIMETABLE_COLUMNS
from .models import EnrolmentImport, Term, TimetableImport
from .tasks import (
    check_enrolment_import,
    check_timetable_import,
    commit_enrolment_import,
    commit_timetable_import,
)

# -- terms and the school calendar ---------------------------------------------


@login_required
@require_GET
def term_list(request: AuthedRequest) -> HttpResponse:
    require_teaching_overseer(request)
    return render(request, "teaching/term_list.html", {"terms": Term.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def term_new(request: AuthedRequest) -> HttpResponse:
    require_teaching_overseer(request)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = actions.save_term(form.instance, acting_user=request.user)
        messages.success(request, _("Term %(name)s saved.") % {"name": term.name})
        return redirect("teaching:term_edit", pk=term.pk)
    return render(request, "teaching/term_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_teaching_overseer(request)
    term = get_object_or_404(Term, pk=pk)
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        actions.save_term(form.instance, acting_user=request.user)
        messages.success(request, _("Term %(name)s saved.") % {"name": term.name})
        return redirect("teaching:term_edit", pk=term.pk)
    return render(request, "teaching/term_form.html", _term_context(term, form=form))


def _term_context(term: Term, **extra: Any) -> dict[str, Any]:
    days = CalendarDay.objects.filter(date__range=(term.first_monday, term.last_day))
    return {"term": term, "days": days, "day_form": CalendarDayForm(term=term), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_new(request: AuthedRequest, pk: int) -> HttpResponse:
    require_teaching_overseer(request)
    term = get_object_or_404(Term, pk=pk)
    form = CalendarDayForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_calendar_day(
            term, date=data["date"], kind=data["kind"], name=data["name"], acting_user=request.user
        )
        return redirect("teaching:term_edit", pk=term.pk)
    return render(request, "teaching/calendar_day_form.html", {"term": term, "form": form})


@login_required
@require_POST
def calendar_day_delete(request: AuthedRequest, pk: int, day: int) -> HttpResponse:
    require_teaching_overseer(request)
    term = get_object_or_404(Term, pk=pk)
    calendar_day = get_object_or_404(
        CalendarDay, pk=day, date__range=(term.first_monday, term.last_day)
    )
    actions.remove_calendar_day(term, calendar_day, acting_user=request.user)
    return redirect("teaching:term_edit", pk=term.pk)


# -- timetable and enrolment imports -----------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """What differs between the timetable's import pages and the enrolment's."""

    name: str  # the URL names' stem: "timetable" makes teaching:timetable_import…
    title: str | Promise
    explanation: str | Promise
    model: type[TimetableImport] | type[EnrolmentImport]
    columns: Columns
    check_task: Any
    commit_task: Any

    @property
    def list_url(self) -> str:
        return f"teaching:{self.name}_import"

    @property
    def detail_url(self) -> str:
        return f"teaching:{self.name}_import_detail"

    @property
    def commit_url(self) -> str:
        return f"teaching:{self.name}_import_commit"


TIMETABLE = ImportKind(
    "timetable",
    gettext_lazy("Timetable import"),
    gettext_lazy(
        "The academic-affairs system's timetable export: a row per teaching class or per "
        "slot of it. The file is checked first: you see every bad row and everything it "
        "would assume before anything is written. Teaching classes are created or updated "
        "by their code, and their lessons laid on the term's working days."
    ),
    TimetableImport,
    TIMETABLE_COLUMNS,
    check_timetable_import,
    commit_timetable_import,
)
ENROLMENT = ImportKind(
    "enrolment",
    gettext_lazy("Enrolment import"),
    gettext_lazy(
        "The enrolment list: a row per student of a teaching class, by the class's code and "
        "the student's number. Import the timetable first. Students already enrolled are "
        "left as they are; nobody is unenrolled."
    ),
    EnrolmentImport,
    ENROLMENT_COLUMNS,
    check_enrolment_import,
    commit_enrolment_import,
)


def _upload(request: AuthedRequest, kind: ImportKind) -> HttpResponse:
    require_teaching_overseer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = kind.model.objects.create(
            term=form.cleaned_data["term"],
            file=upload,
            filename=upload.name,
            uploaded_by=request.user,
        )
        item.start_check(kind.check_task, started_by=request.user)
        return redirect(kind.detail_url, pk=item.pk)
    imports = imports_for_user(kind.model, request.user).select_related("term")[:20]
    context = {"kind": kind, "form": form, "imports": imports, "columns": kind.columns.help()}
    return render(request, "teaching/import.html", context)


def _detail(request: AuthedRequest, kind: ImportKind, pk: int) -> HttpResponse:
    require_teaching_overseer(request)
    item: ImportRecord = get_import_for_user(request, kind.model, pk)
    errors, more_errors = item.error_preview(kind.columns)
    template = "teaching/import_detail.html" + ("#status" if request.htmx else "")
    context = {
        "kind": kind,
        "item": item,
        "job": item.job,
        "errors": errors,
        "more_errors": more_errors,
        "columns": kind.columns.help(),
    }
    return render(request, template, context)


def _commit(request: AuthedRequest, kind: ImportKind, pk: int) -> HttpResponse:
    require_teaching_overseer(request)
    item = get_import_for_user(request, kind.model, pk)
    if not item.start_commit(kind.commit_task, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect(kind.detail_url, pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def timetable_import(request: AuthedRequest) -> HttpResponse:
    return _upload(request, TIMETABLE)


@login_required
@require_GET
def timetable_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, TIMETABLE, pk)


@login_required
@require_POST
def timetable_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _commit(request, TIMETABLE, pk)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_import(request: AuthedRequest) -> HttpResponse:
    return _upload(request, ENROLMENT)


@login_required
@require_GET
def enrolment_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, ENROLMENT, pk)


@login_required
@require_POST
def enrolment_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _commit(request, ENROLMENT, pk)
