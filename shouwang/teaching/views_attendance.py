"""Attendance: a platform's export brought in, a lesson marked by hand, the
students absent twice in a week, and readiness for online teaching."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.attendance_files import COLUMNS
from shouwang.core.forms import first_error
from shouwang.lib import clock

from . import actions, attendance
from . import readiness as readiness_actions
from .access import (
    attendance_for_user,
    followed_students,
    get_managed_attendance_import,
    get_managed_lesson,
    get_student_for_attendance,
)
from .actions import LessonError
from .forms_attendance import (
    AbsenceWeekForm,
    AttendanceUploadForm,
    MarkAttendanceForm,
    ReadinessForm,
    ResolveRowForm,
)
from .models import Attendance, AttendanceImport, Readiness, Term
from .queries import absent_twice


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """The teacher brings in the platform's attendance export for a lesson."""
    lesson = get_managed_lesson(request, pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = AttendanceImport.objects.create(
            lesson=lesson, file=upload, filename=upload.name, uploaded_by=request.user
        )
        attendance.check_file(item)
        return redirect("teaching:attendance_import", pk=item.pk)
    imports = lesson.attendance_imports.select_related("uploaded_by")[:10]
    return render(
        request,
        "teaching/attendance_upload.html",
        {"lesson": lesson, "form": form, "imports": imports, "columns": COLUMNS.help()},
    )


@login_required
@require_GET
def attendance_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a file found: each student's minutes and mark, and the rows no
    student was found for, resolved by hand once committed."""
    item = get_managed_attendance_import(request, pk)
    students = attendance.enrolled(item.lesson)
    return render(
        request,
        "teaching/attendance_import.html",
        {
            "item": item,
            "lesson": item.lesson,
            "planned": attendance.planned(item) if item.status != item.Status.FAILED else [],
            "resolve_forms": [
                (row, ResolveRowForm(students=students, initial={"row": row["row"]}))
                for row in item.unmatched
            ],
        },
    )


@login_required
@require_POST
def attendance_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_managed_attendance_import(request, pk)
    try:
        written = attendance.commit(item, acting_user=request.user)
    except LessonError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(
            request, _("Attendance recorded for %(count)d students.") % {"count": written}
        )
    return redirect("teaching:attendance_import", pk=item.pk)


@login_required
@require_POST
def attendance_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    """The teacher says whose an unmatched row is: that student is present."""
    item = get_managed_attendance_import(request, pk)
    form = ResolveRowForm(request.POST, students=attendance.enrolled(item.lesson))
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("teaching:attendance_import", pk=item.pk)
    student = form.cleaned_data["student"]
    try:
        attendance.resolve(item, form.cleaned_data["row"], student, acting_user=request.user)
    except LessonError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s is marked present.") % {"name": student.name})
    return redirect("teaching:attendance_import", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_mark(request: AuthedRequest, pk: int) -> HttpResponse:
    """The teacher marks each student of a lesson on a phone-sized list."""
    lesson = get_managed_lesson(request, pk)
    students = attendance.enrolled(lesson)
    recorded = dict(lesson.attendances.values_list("student_id", "status"))
    form = MarkAttendanceForm(request.POST or None, students=students, initial_statuses=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                lesson, form.statuses(), source=Attendance.Source.MARKED, acting_user=request.user
            )
        except LessonError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("teaching:attendance_mark", pk=lesson.pk)
    return render(request, "teaching/attendance_mark.html", {"lesson": lesson, "form": form})


@login_required
@require_GET
def absences(request: AuthedRequest) -> HttpResponse:
    """The students a counsellor or leader looks after who missed two lessons
    or more in a week, with the lessons."""
    students = followed_students(request)
    monday = AbsenceWeekForm(request.GET).monday(clock.today())
    term = Term.current(monday)
    return render(
        request,
        "teaching/absences.html",
        {
            "absentees": absent_twice(students, monday),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "term": term,
            "week_number": term.week_of(monday) if term else None,
        },
    )


@login_required
@require_GET
def student_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    """One student's attendance, as far as the reader may see it."""
    student = get_student_for_attendance(request, pk)
    rows = (
        attendance_for_user(request.user)
        .filter(student=student)
        .select_related("lesson__teaching_class")
        .order_by("-lesson__date", "-lesson__first_period")
    )
    return render(request, "teaching/student_attendance.html", {"student": student, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: AuthedRequest) -> HttpResponse:
    """A student says whether they can attend online; they may change it later."""
    person = request.user.person
    if person is None:
        raise PermissionDenied
    answer = Readiness.objects.filter(person=person).first()
    initial = (
        {"no_device": answer.no_device, "poor_network": answer.poor_network, "note": answer.note}
        if answer
        else {}
    )
    form = ReadinessForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.answer_readiness(person, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Thank you: your counsellor can see your answer."))
        return redirect("teaching:today")
    return render(request, "teaching/readiness.html", {"form": form, "answer": answer})


def _readiness_problems(request: AuthedRequest) -> QuerySet[Readiness]:
    problem = Q(no_device=True) | Q(poor_network=True)
    return Readiness.objects.filter(problem, person__in=followed_students(request).values("pk"))


@login_required
@require_GET
def readiness_list(request: AuthedRequest) -> HttpResponse:
    """The students looked after who have no device or a poor network."""
    answers = (
        _readiness_problems(request)
        .select_related("person__admin_class", "help_request")
        .order_by("person__admin_class__name", "person__number")
    )
    return render(request, "teaching/readiness_list.html", {"answers": answers})


@login_required
@require_POST
def readiness_help(request: AuthedRequest, pk: int) -> HttpResponse:
    """Turn a student's problem into a help request on their behalf, once."""
    answer = get_object_or_404(_readiness_problems(request).select_related("person"), pk=pk)
    _help_request, opened = readiness_actions.open_help_request(answer, acting_user=request.user)
    if opened:
        messages.success(
            request, _("A help request is open for %(name)s.") % {"name": answer.person.name}
        )
    return redirect("teaching:readiness_list")
