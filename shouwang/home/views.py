"""The home page: one page per role, gathering what each domain has for this person."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.care.models import Isolation
from shouwang.checkins.status import checkin_status
from shouwang.lib import clock
from shouwang.notices.queries import waiting_for
from shouwang.people.access import classes_for_user, people_for_user
from shouwang.people.models import Person, party_member_q
from shouwang.teaching.queries import days_of_person, needs_readiness
from shouwang.workplan.access import reads_plans, reports_to_score, reports_to_write

from .first_hour import first_hour_steps

# Notices waiting for an acknowledgement, listed on the home page.
HOME_NOTICES = 5
# Progress reports to write: the overdue ones and those due this far ahead.
REPORTS_AHEAD = dt.timedelta(days=14)


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """One page per role: what this person needs first when they open the app."""
    user = request.user
    context: dict = {
        "person": user.person,
        "checkin_status": checkin_status(user.person),
        "to_acknowledge": waiting_for(user.person_id)[:HOME_NOTICES],
        # An isolated person's meals and whom to call are one tap from home.
        "in_isolation": bool(user.person_id)
        and Isolation.objects.active().filter(person_id=user.person_id).exists(),  # type: ignore[misc]
        # Today's lessons of a student or a teacher, each one tap from joining.
        "todays_lessons": days_of_person(user.person_id, clock.today(), clock.today()),
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
