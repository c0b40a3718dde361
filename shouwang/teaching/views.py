import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock
from shouwang.people.models import Unit

from . import actions
from .access import (
    can_manage_class,
    classes_for_user,
    get_class_for_user,
    get_lesson_for_user,
    get_managed_class,
    get_managed_lesson,
    overseen_classes_q,
    overseen_unit_ids,
    oversees_teaching,
    require_teaching_overseer,
)
from .forms import (
    CancelForm,
    DecisionForm,
    GoOnlineForm,
    HeldForm,
    LessonLinkForm,
    MakeupForm,
    MoveForm,
    PlatformForm,
    WeekForm,
)
from .forms_supervision import LessonListForm
from .models import Lesson, OnlineSwitch, TeachingClass, Term
from .queries import (
    Taken,
    attendance_taken,
    days_of_person,
    delivery,
    lesson_rows,
    lessons_on,
    needs_readiness,
    status_counts,
    with_delivered_hours,
)

PAGE_SIZE = 50


@login_required
@require_GET
def today(request: AuthedRequest) -> HttpResponse:
    """Today's lessons of a student or a teacher, with their times and one tap to join."""
    day = clock.today()
    rows = days_of_person(request.user.person_id, day, day)
    term = Term.current(day)
    context = {
        "day": day,
        "today": day,
        "rows": rows,
        "week": term.week_of(day) if term else None,
        "ask_readiness": needs_readiness(request.user.person_id, day),
    }
    return render(request, "teaching/today.html", context)


def _week_start(form: WeekForm, day: dt.date) -> tuple[dt.date, Term | None]:
    """The Monday of the week asked for (this week by default), and its term."""
    term = Term.current(day)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("date"):
        day = data["date"]
        term = Term.current(day)
    elif data.get("week") and term is not None:
        day = term.date_of(data["week"], 1)
    return day - dt.timedelta(days=day.weekday()), term


@login_required
@require_GET
def week(request: AuthedRequest) -> HttpResponse:
    """A student's or teacher's lessons of one week (?week=N of the term, or ?date=)."""
    monday, term = _week_start(WeekForm(request.GET), clock.today())
    sunday = monday + dt.timedelta(days=6)
    rows = days_of_person(request.user.person_id, monday, sunday)
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        lessons = [row for row in rows if row.lesson.date == day]
        if lessons or offset < 5:
            days.append((day, lessons))
    context = {
        "days": days,
        "monday": monday,
        "sunday": sunday,
        "today": clock.today(),
        "week": term.week_of(monday) if term else None,
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
    }
    return render(request, "teaching/week.html", context)


@login_required
@require_GET
def class_list(request: AuthedRequest) -> HttpResponse:
    """The teaching classes a user teaches, oversees or attends, the latest term first."""
    classes = with_delivered_hours(
        classes_for_user(request.user).select_related("term", "unit")
    ).order_by("-term__first_monday", "course_name", "code")
    page = Paginator(classes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "teaching/class_list.html", {"page": page})


@login_required
@require_GET
def class_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    teaching_class = get_class_for_user(request, pk)
    context = {
        "class": teaching_class,
        "can_manage": can_manage_class(request.user, teaching_class),
        "slots": teaching_class.slots.all(),
        "teachers": teaching_class.teachers.all(),
        "student_count": teaching_class.enrolments.count(),
        "delivery": delivery(teaching_class),
        "lessons": teaching_class.lessons.select_related("makeup_for"),
    }
    return render(request, "teaching/class_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def class_platform(request: AuthedRequest, pk: int) -> HttpResponse:
    """The teacher sets the class's platform and its link or meeting number."""
    teaching_class = get_managed_class(request, pk)
    initial = {"platform": teaching_class.platform, "join_link": teaching_class.join_link}
    form = PlatformForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_platform(teaching_class, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("The platform and link are saved."))
        return redirect(teaching_class)
    return render(request, "teaching/class_platform.html", {"class": teaching_class, "form": form})


def _lesson_forms(lesson: Lesson) -> dict:
    link = {"platform": lesson.platform, "join_link": lesson.join_link}
    return {
        "link_form": LessonLinkForm(prefix="link", initial=link),
        "held_form": HeldForm(prefix="held"),
        "move_form": MoveForm(
            prefix="move",
            initial={"first_period": lesson.first_period, "last_period": lesson.last_period},
        ),
        "cancel_form": CancelForm(prefix="cancel"),
        "makeup_form": MakeupForm(
            prefix="makeup",
            initial={"first_period": lesson.first_period, "last_period": lesson.last_period},
        ),
    }


def _lesson_page(request: AuthedRequest, lesson: Lesson, **bound: forms.Form) -> HttpResponse:
    manages = can_manage_class(request.user, lesson.teaching_class)
    rows = lesson_rows([lesson])
    context: dict = {"lesson": lesson, "row": rows[0], "can_manage": manages}
    context["makeup"] = Lesson.objects.filter(makeup_for=lesson).first()
    if manages:
        context.update(_lesson_forms(lesson), **bound)
        # Why a change was refused shows at the top: its form may no longer be offered.
        context["refusals"] = [
            error for form in bound.values() for error in form.non_field_errors()
        ]
    return render(request, "teaching/lesson_detail.html", context)


@login_required
@require_GET
def lesson_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lesson_page(request, get_lesson_for_user(request, pk))


FormT = TypeVar("FormT", bound=forms.Form)


def _marked(
    request: AuthedRequest,
    lesson: Lesson,
    form_name: str,
    form: FormT,
    act: Callable[[FormT], None],
) -> HttpResponse:
    """Run a marking action on a valid form; a LessonError shows on the form."""
    if form.is_valid():
        try:
            act(form)
        except actions.LessonError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The lesson is updated."))
            return redirect(lesson)
    return _lesson_page(request, lesson, **{form_name: form})


@login_required
@require_POST
def lesson_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """One lesson's own platform and link (empty: the class's)."""
    lesson = get_managed_lesson(request, pk)

    def act(form: LessonLinkForm) -> None:
        actions.set_lesson_link(lesson, **form.cleaned_data, acting_user=request.user)

    return _marked(request, lesson, "link_form", LessonLinkForm(request.POST, prefix="link"), act)


@login_required
@require_POST
def lesson_held(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request, pk)

    def act(form: HeldForm) -> None:
        actions.mark_held(lesson, platform=form.cleaned_data["platform"], acting_user=request.user)

    return _marked(request, lesson, "held_form", HeldForm(request.POST, prefix="held"), act)


@login_required
@require_POST
def lesson_move(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request, pk)

    def act(form: MoveForm) -> None:
        actions.move_lesson(lesson, **form.cleaned_data, acting_user=request.user)

    return _marked(request, lesson, "move_form", MoveForm(request.POST, prefix="move"), act)


@login_required
@require_POST
def lesson_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request, pk)

    def act(form: CancelForm) -> None:
        makeup_date, makeup_periods = form.makeup()
        actions.cancel_lesson(
            lesson,
            reason=form.cleaned_data["reason"],
            makeup_date=makeup_date,
            makeup_periods=makeup_periods,
            acting_user=request.user,
        )

    return _marked(request, lesson, "cancel_form", CancelForm(request.POST, prefix="cancel"), act)


@login_required
@require_POST
def lesson_makeup(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request, pk)

    def act(form: MakeupForm) -> None:
        data = form.cleaned_data
        periods = (data["first_period"], data["last_period"])
        actions.schedule_makeup(
            lesson, date=data["date"], periods=periods, acting_user=request.user
        )

    return _marked(request, lesson, "makeup_form", MakeupForm(request.POST, prefix="makeup"), act)


@login_required
@require_GET
def lesson_list(request: AuthedRequest) -> HttpResponse:
    """A day's lessons in the overseer's reach, each with its attendance: the
    lessons the cockpit counts, one page at a time."""
    require_teaching_overseer(request)
    form = LessonListForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "teaching/lesson_list.html", {"form": form, "page": None})
    data = form.cleaned_data
    lessons = lessons_on(data["date"], form.units())
    counts = status_counts(lessons)
    if data["status"]:
        lessons = lessons.filter(status=data["status"])
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    taken = attendance_taken([lesson.pk for lesson in page])
    context = {
        "form": form,
        "day": data["date"],
        "status": data["status"],
        # The status pills keep the day and the unit.
        "kept": urlencode(
            {"date": data["date"].isoformat()} | ({"unit": data["unit"].pk} if data["unit"] else {})
        ),
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in Lesson.Status.choices
        ],
        "total": sum(counts.values()),
        "page": page,
        "rows": [(row, taken.get(row.lesson.pk, Taken())) for row in lesson_rows(page)],
    }
    return render(request, "teaching/lesson_list.html", context)


def _overseen_lessons(request: AuthedRequest) -> QuerySet[Lesson]:
    """The lessons of the classes the teaching office, a leader or an admin oversees."""
    if not oversees_teaching(request.user):
        raise PermissionDenied
    classes = TeachingClass.objects.filter(overseen_classes_q(request.user))
    return Lesson.objects.filter(teaching_class__in=classes.values("pk"))


@login_required
@require_GET
def approvals(request: AuthedRequest) -> HttpResponse:
    """Moved and cancelled lessons, and make-ups, waiting for the teaching office."""
    pending = (
        _overseen_lessons(request)
        .filter(approval=Lesson.Approval.PENDING)
        .select_related("teaching_class", "makeup_for", "marked_by__person")
        .order_by("marked_at", "pk")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "teaching/approvals.html", {"page": page})


@login_required
@require_POST
def approval_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = get_object_or_404(_overseen_lessons(request).select_related("teaching_class"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject."))
    else:
        try:
            actions.decide_change(lesson, approve=form.approve, acting_user=request.user)
        except actions.LessonError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = _("Approved: %(lesson)s") if form.approve else _("Rejected: %(lesson)s")
            messages.success(request, done % {"lesson": lesson})
    return redirect("teaching:approvals")


@login_required
@require_http_methods(["GET", "POST"])
def go_online(request: AuthedRequest) -> HttpResponse:
    """Leaders move the teaching of units online from a day; the past switches below."""
    if not oversees_teaching(request.user):
        raise PermissionDenied
    form = GoOnlineForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.go_online(
            term=data["term"],
            units=data["units"],
            starts_on=data["starts_on"],
            incident=data["incident"],
            acting_user=request.user,
        )
        messages.success(request, _("Teaching of these units is online from that day."))
        return redirect("teaching:go_online")
    switches = OnlineSwitch.objects.select_related("term", "incident", "created_by__person")
    units = overseen_unit_ids(request.user)
    if units is not None:
        switches = switches.filter(units__in=units).distinct()
    switches = switches.prefetch_related(Prefetch("units", Unit.objects.order_by("pk")))
    return render(request, "teaching/go_online.html", {"form": form, "switches": switches[:50]})
