"""Compliance pages: the day's counts per unit, class and counsellor with the
incident's trend, the named missing list, and its Excel export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.checkins.access import require_checkins_reader
from shouwang.checkins.models import CheckIn
from shouwang.core import audit
from shouwang.incidents.models import Incident
from shouwang.leave.access import follows_leave
from shouwang.leave.queries import OnLeave, on_leave
from shouwang.lib import clock
from shouwang.lib.spreadsheets import write_xlsx
from shouwang.people.models import Person

from . import tallies
from .audit import ComplianceEvent
from .counts import MissingPages, missing_in_scope, scope_for
from .forms import MissingForm, OverviewForm

if TYPE_CHECKING:
    from shouwang.checkins.forms import DayForm

ROWS_PER_PAGE = 50
MISSING_PER_PAGE = 100
# The pages poll their counts this often (seconds).
REFRESH_SECONDS = 60
# A missing list left open polls every minute: one audit row per viewer, list
# and this many seconds is enough to say who saw whom, and keeps the log readable.
AUDIT_EVERY_SECONDS = 10 * 60


def _query(incident: Incident, day: dt.date, **filters: str) -> str:
    return urlencode({"incident": incident.pk, "date": day.isoformat(), **filters})


def _deadline(incident: Incident, day: dt.date) -> dict:
    deadline_at = incident.deadline_at(day)
    return {"deadline_at": deadline_at, "deadline_passed": clock.now() >= deadline_at}


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    require_checkins_reader(request)
    form, incident, day = OverviewForm.chosen(request)
    if incident is None:
        return render(
            request,
            "compliance/overview.html",
            {"form": form, "incident": None, "follows_leave": follows_leave(request.user)},
        )
    scope = scope_for(request.user)
    by = form.cleaned_data.get("by") or ("unit" if scope.by_units else "class")
    tally = tallies.day_tally(incident, day, scope)
    rows = {
        "class": tally.class_rows,
        "unit": tally.unit_rows,
        "counsellor": tally.counsellor_rows,
    }[by]()
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = _query(incident, day)
    missing_url = reverse("compliance:missing")
    for row in page:
        row.link = f"{missing_url}?{_query(incident, day, **row.filters)}"
    part = form.cleaned_data.get("part")
    counts_query = {**request.GET.dict(), "part": "counts"}
    context = {
        "form": form,
        "incident": incident,
        "day": day,
        "by": by,
        "tally": tally,
        "total": tally.total,
        "page": page,
        "query": query,
        "refresh_url": f"{request.path}?{urlencode(counts_query)}",
        "trend_url": f"{request.path}?{query}&by={by}&part=trend",
        "refresh_seconds": REFRESH_SECONDS,
        "everyone": scope.everyone,
        "follows_leave": follows_leave(request.user),
        "trend": None,
        **_deadline(incident, day),
    }
    if part == "trend":
        # The trend comes after the counts, in its own request: the page shows
        # today's figures at once, however long the incident's history.
        context["trend"] = tallies.trend(incident, scope, tally.total.expected)
    if request.htmx and part:
        return render(request, f"compliance/overview.html#{part}", context)
    return render(request, "compliance/overview.html", context)


def _missing(
    request: AuthedRequest,
) -> tuple[DayForm, Incident | None, dt.date, QuerySet[Any], dict[str, str], Any]:
    """The missing people the request asks for, with what the list's header
    shows, and the count of them the page shows (None: count the list)."""
    form, incident, day = MissingForm.chosen(request)
    if incident is None:
        return form, None, day, Person.objects.none(), {}, None
    data = form.cleaned_data
    scope = scope_for(request.user)
    people = missing_in_scope(incident, day, scope)
    filters: dict[str, str] = {}
    if data.get("admin_class"):
        people = people.filter(admin_class=data["admin_class"])
        filters["class"] = str(data["admin_class"].pk)
    if data.get("unit"):
        people = people.filter(unit=data["unit"])
        filters["unit"] = str(data["unit"].pk)
    if data.get("counsellor"):
        people = people.filter(admin_class__counsellor=data["counsellor"])
        filters["counsellor"] = str(data["counsellor"].pk)
    if data.get("no_class"):
        people = people.filter(admin_class__isnull=True)
        filters["no_class"] = "1"
    count = None
    if incident.purged_at is not None:
        # The check-ins are gone: everyone would look missing.
        people, count = Person.objects.none(), 0
    elif tallies.from_tallies(incident, scope):
        # A leader's list is counted as the compliance page counts it, from
        # the minute's tallies: counting it live joins the whole college with
        # the day's check-ins (docs/performance.md, "Cockpit").
        count = tallies.missing_count(
            incident,
            day,
            scope,
            **{name: data.get(name) for name in ("admin_class", "unit", "counsellor", "no_class")},
        )
    last_checkin = (
        CheckIn.objects.filter(person_id=OuterRef("pk"), incident=incident)
        .order_by("-date")
        .values("date")[:1]
    )
    people = (
        people.select_related("admin_class__counsellor", "unit", "dorm_room")
        .annotate(last_checkin=Subquery(last_checkin))
        .order_by("admin_class__name", "number")
    )
    return form, incident, day, people, filters, count


def _audit_missing_list(
    request: AuthedRequest, incident: Incident, kind: ComplianceEvent, **data: Any
) -> None:
    """Audit a named missing list once per viewer, list and AUDIT_EVERY_SECONDS.

    The dedup lives in the session: it cannot be shed without logging out."""
    key = f"{kind}:{incident.pk}:{data.get('date')}:{sorted(data.get('filters', {}).items())}"
    seen = request.session.get("checkins_audited", {})
    now = clock.now().timestamp()
    if now - seen.get(key, 0) < AUDIT_EVERY_SECONDS:
        return
    audit.record(kind, incident, acting_user=request.user, request=request, **data)
    seen = {k: t for k, t in seen.items() if now - t < AUDIT_EVERY_SECONDS}
    seen[key] = now
    request.session["checkins_audited"] = seen


@login_required
@require_GET
def missing(request: AuthedRequest) -> HttpResponse:
    require_checkins_reader(request)
    form, incident, day, people, filters, count = _missing(request)
    if incident is None:
        return render(request, "compliance/missing.html", {"form": form, "incident": None})
    pages = MissingPages(people, people.count() if count is None else count)
    page = Paginator(pages, MISSING_PER_PAGE).get_page(request.GET.get("page"))
    # Leave labels the missing, never removes them: one query for the whole
    # list (few of the missing are on leave), which also counts them.
    leaves = on_leave(people, day)
    for person in page:
        person.on_leave = leaves.get(person.pk)  # type: ignore[attr-defined]
    _audit_missing_list(
        request,
        incident,
        ComplianceEvent.MISSING_LIST_VIEWED,
        date=day.isoformat(),
        filters=filters,
        page=page.number,
    )
    subject = form.cleaned_data
    context = {
        "form": form,
        "incident": incident,
        "day": day,
        "page": page,
        "on_leave_count": len(leaves),
        "filters": filters,
        "subject": subject,
        "query": _query(incident, day, **filters),
        "refresh_seconds": REFRESH_SECONDS,
        "purged": incident.purged_at is not None,
        **_deadline(incident, day),
    }
    if request.htmx:
        return render(request, "compliance/missing.html#missing", context)
    return render(request, "compliance/missing.html", context)


EXPORT_HEADERS = [
    _("number"),
    _("name"),
    _("class"),
    _("counsellor"),
    _("unit"),
    _("dormitory room"),
    _("mobile phone"),
    _("last check-in"),
    _("reason"),
]


def _export_rows(
    people: QuerySet[Any], leaves: dict[int, OnLeave], counter: list[int]
) -> Iterator[list[Any]]:
    # iterator(): a leader's export may hold tens of thousands of rows.
    for person in people.iterator(chunk_size=2000):
        counter[0] += 1
        counsellor = person.admin_class.counsellor if person.admin_class else None
        leave = leaves.get(person.pk)
        yield [
            person.number,
            person.name,
            person.admin_class.name if person.admin_class else "",
            counsellor.name if counsellor else "",
            person.unit.name if person.unit else "",
            str(person.dorm_room) if person.dorm_room else "",
            person.masked_mobile,
            person.last_checkin.isoformat() if person.last_checkin else "",
            leave.label if leave else "",
        ]


@login_required
@require_GET
def missing_export(request: AuthedRequest) -> HttpResponse:
    require_checkins_reader(request)
    form, incident, day, people, filters, _count = _missing(request)
    if incident is None:
        raise Http404
    counter = [0]
    headers = [str(header) for header in EXPORT_HEADERS]
    leaves = on_leave(people, day)
    data = write_xlsx(
        headers, _export_rows(people, leaves, counter), title=f"missing {day.isoformat()}"
    )
    # Every export is audited: who, which list (incident, day, filters) and how many people.
    audit.record(
        ComplianceEvent.MISSING_LIST_EXPORTED,
        incident,
        acting_user=request.user,
        request=request,
        date=day.isoformat(),
        filters=filters,
        rows=counter[0],
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"missing-{incident.pk}-{day:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
