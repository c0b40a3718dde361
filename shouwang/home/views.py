"""The home page: one page per role, gathering what each domain has for this person."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.care.access import own_isolation
from shouwang.checkins.answers import same_as_yesterday
from shouwang.checkins.reminders import remind_missing, slot_at
from shouwang.checkins.status import checkin_status
from shouwang.core import audit
from shouwang.helpdesk.access import requests_for_user
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib import clock
from shouwang.notices.queries import waiting_for
from shouwang.people.access import classes_for_user, people_for_user
from shouwang.people.models import Person, party_member_q
from shouwang.teaching.queries import days_of_person, needs_readiness
from shouwang.workplan.access import reads_plans, reports_to_score, reports_to_write

from .access import has_morning, require_morning
from .audit import HomeEvent
from .first_hour import first_hour_steps
from .forms import RemindForm
from .morning import missing_students, morning_for

# Notices waiting for an acknowledgement, listed on the home page.
HOME_NOTICES = 5
# Progress reports to write: the overdue ones and those due this far ahead.
REPORTS_AHEAD = dt.timedelta(days=14)


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """One page per role: what this person needs first when they open the app."""
    user = request.user
    status = checkin_status(user.person)
    isolation = own_isolation(user)
    context: dict = {
        "person": user.person,
        "checkin_status": status,
        # On an unchanged day, yesterday's answers and one tap to submit them.
        "same_as_yesterday": same_as_yesterday(status),
        "to_acknowledge": waiting_for(user.person_id)[:HOME_NOTICES],
        # An isolated person's meals of the day and whom to call, one tap from home.
        "in_isolation": isolation is not None,
        "todays_meals": (
            list(isolation.deliveries.filter(date=clock.today()).select_related("slot"))
            if isolation is not None
            else []
        ),
        # Today's lessons of a student or a teacher, each one tap from joining.
        "todays_lessons": days_of_person(user.person_id, clock.today(), clock.today()),
        "open_requests": list(
            requests_for_user(user)
            .filter(requester_id=user.person_id, status__in=HelpRequest.OPEN)
            .order_by("-created_at")[:HOME_NOTICES]
        )
        if user.person_id
        else [],
        "has_morning": has_morning(user),
        "today": clock.today(),
    }
    if reads_plans(user):
        context["reports_to_write"] = list(
            reports_to_write(user, clock.today() + REPORTS_AHEAD).select_related("measure")[
                :HOME_NOTICES
            ]
        )
        context["reports_to_score"] = reports_to_score(user).count()
    if user.has_role(Role.STUDENT):
        # The first time their teaching is online: can they attend it?
        context["ask_readiness"] = needs_readiness(user.person_id, clock.today())
    if user.has_role(Role.COUNSELLOR) and not user.oversees:
        context["classes"] = classes_for_user(user).annotate(
            student_count=Count("students", filter=Q(students__status=Person.Status.PRESENT))
        )
    if user.oversees:
        # A leader the roster has not placed in a unit reaches nobody but
        # themselves: the page says so rather than showing zeros.
        context["reaches_no_unit"] = user.reach_unit_ids == frozenset()
        people = people_for_user(user).filter(status=Person.Status.PRESENT)
        context["totals"] = people.aggregate(
            students=Count("pk", filter=Q(kind=Person.Kind.STUDENT)),
            undergraduates=Count("pk", filter=Q(kind=Person.Kind.STUDENT, degree_level="bachelor")),
            postgraduates=Count(
                "pk", filter=Q(kind=Person.Kind.STUDENT, degree_level__in=["master", "doctor"])
            ),
            teachers=Count("pk", filter=Q(kind=Person.Kind.TEACHER)),
            staff=Count("pk", filter=Q(kind=Person.Kind.STAFF)),
            party_members=Count("pk", filter=party_member_q()),
        )
        context["class_count"] = classes_for_user(user).count()
    if user.has_role(Role.ADMIN):
        context["first_hour"] = first_hour_steps()
    return render(request, "home/home.html", context)


@login_required
@require_GET
def morning(request: AuthedRequest) -> HttpResponse:
    """A counsellor's classes this morning, on one page fit for a phone."""
    require_morning(request)
    page = morning_for(request.user, clock.now())
    subject = page.incident or request.user.person
    assert subject is not None  # noqa: S101 - require_morning: a counsellor is a person
    # Named lists of who is missing, unwell or isolated: a read of sensitive data.
    audit.record(
        HomeEvent.MORNING_VIEWED,
        subject,
        acting_user=request.user,
        request=request,
        date=page.day.isoformat(),
        missing=len(page.missing),
        abnormal=len(page.abnormal),
    )
    form = RemindForm(initial={"slot": page.reminder.slot.key_prefix}) if page.reminder else None
    return render(request, "home/morning.html", {"page": page, "remind_form": form})


@login_required
@require_POST
def morning_remind(request: AuthedRequest) -> HttpResponse:
    """Remind every student of the counsellor's classes still missing today,
    in the current reminder slot: nobody the slot already reached is reminded again."""
    require_morning(request)
    incident, missing = missing_students(request.user, clock.now())
    form = RemindForm(request.POST)
    slot = slot_at(incident, timezone.localtime(clock.now())) if incident else None
    if not form.is_valid() or slot is None or form.cleaned_data["slot"] != slot.key_prefix:
        messages.warning(
            request, _("The reminder slot has changed since the page was opened: look again.")
        )
        return redirect("home:morning")
    assert incident is not None  # noqa: S101 - a slot comes with an incident
    reminded = remind_missing(incident, missing, acting_user=request.user, slot=slot)
    if reminded.sent:
        messages.success(
            request,
            ngettext("%(count)d student reminded.", "%(count)d students reminded.", reminded.sent)
            % {"count": reminded.sent},
        )
    else:
        messages.info(request, _("Everyone missing has already been reminded in this slot."))
    return redirect("home:morning")
