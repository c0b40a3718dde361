"""The admin's first-hour checklist: the README's steps, each with whether it is done."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwang.incidents.models import Incident
from shouwang.people.models import Person, Unit


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str
    url: str


def first_hour_steps() -> list[Step]:
    """The steps from an empty install to a running incident, in three queries."""
    units = Unit.objects.count()
    # A login: an active user with a password (an initial one or their own).
    has_login = (
        Q(user__is_active=True)
        & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        & ~Q(user__password="")
    )
    people = Person.objects.filter(status=Person.Status.PRESENT).aggregate(
        everyone=Count("pk"),
        staff=Count("pk", filter=~Q(kind=Person.Kind.STUDENT)),
        students=Count("pk", filter=Q(kind=Person.Kind.STUDENT)),
        with_login=Count("pk", filter=has_login),
    )
    incidents = Incident.objects.count()
    return [
        Step(
            _("Create the units (the college and its offices)"),
            units > 0,
            ngettext("%(count)d unit", "%(count)d units", units) % {"count": units},
            reverse("admin:people_unit_changelist"),
        ),
        Step(
            _("Import the staff"),
            people["staff"] > 0,
            ngettext(
                "%(count)d teacher or staff member",
                "%(count)d teachers and staff members",
                people["staff"],
            )
            % {"count": people["staff"]},
            reverse("people:roster_import"),
        ),
        Step(
            _("Import the students"),
            people["students"] > 0,
            ngettext("%(count)d student", "%(count)d students", people["students"])
            % {"count": people["students"]},
            reverse("people:roster_import"),
        ),
        Step(
            _("Issue everyone's initial password"),
            people["everyone"] > 0 and people["with_login"] == people["everyone"],
            _("%(with_login)d of %(everyone)d people hold a login") % people,
            reverse("passwords:issue_list"),
        ),
        Step(
            _("Open an incident"),
            incidents > 0,
            ngettext("%(count)d incident", "%(count)d incidents", incidents) % {"count": incidents},
            reverse("incidents:incident_open" if not incidents else "incidents:incident_list"),
        ),
    ]
