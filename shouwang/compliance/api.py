"""Compliance's JSON endpoint, mounted by `shouwang.api`: the counts per class
in my scope, as the compliance page reads them."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status

from shouwang.accounts.http import AuthedRequest
from shouwang.checkins.access import require_checkins_reader
from shouwang.checkins.api import IncidentOut, incident_out, local
from shouwang.checkins.forms import DayForm
from shouwang.checkins.queries import default_day, default_incident
from shouwang.core.api_errors import ErrorOut, invalid
from shouwang.lib import clock

from . import tallies
from .counts import Counts, scope_for

router = Router(tags=["compliance"])


class CountsOut(Schema):
    expected: int
    reported: int
    missing: int
    late: int
    abnormal: int
    percent: int = Field(description="Reported, as a whole percentage of expected.")


class ComplianceRowOut(CountsOut):
    kind: str = Field(description='"class", or "unit" for the people of a unit in no class.')
    id: int | None
    name: str


class ComplianceOut(Schema):
    incident: IncidentOut | None
    date: dt.date
    deadline: dt.datetime | None
    total: CountsOut
    classes: list[ComplianceRowOut]


COMPLIANCE_PARAMETERS = [
    {
        "in": "query",
        "name": "date",
        "required": False,
        "schema": {"type": "string", "format": "date"},
        "description": (
            "YYYY-MM-DD, not after today; default today (a closed incident's last day)."
        ),
    },
    {
        "in": "query",
        "name": "incident",
        "required": False,
        "schema": {"type": "integer"},
        "description": "Incident id; default the newest open incident.",
    },
]


@router.get(
    "/compliance",
    response={200: ComplianceOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="compliance",
    operation_id="compliance",
    summary="Compliance per class",
    openapi_extra={"parameters": COMPLIANCE_PARAMETERS},
)
def class_compliance(request: AuthedRequest) -> dict | Status:
    """Expected, reported, missing, late and abnormal counts per class for a day:
    a counsellor's own classes; every class (and the people in none, per unit)
    for leaders and admins."""
    # Parameters are read by the compliance page's form, after the role check,
    # so that a student learns nothing from a malformed query.
    require_checkins_reader(request)
    form = DayForm(request.GET, user=request.user)
    if not form.is_valid():
        if "incident" in form.errors:
            raise Http404
        return Status(422, invalid(form.errors.get_json_data()))
    incident = form.cleaned_data["incident"] or default_incident(request.user)
    day = form.cleaned_data["date"]
    if incident is None:
        day = day or clock.today()
        return {
            "incident": None,
            "date": day,
            "deadline": None,
            "total": _counts(Counts()),
            "classes": [],
        }
    day = day or default_day(incident)
    tally = tallies.day_tally(incident, day, scope_for(request.user))
    rows = sorted(tally.class_rows(), key=lambda row: (row.kind != "class", row.label))
    return {
        "incident": incident_out(incident),
        "date": day,
        "deadline": local(incident.deadline_at(day)),
        "total": _counts(tally.total),
        "classes": [
            {"kind": row.kind, "id": row.pk, "name": row.label, **_counts(row.counts)}
            for row in rows
        ],
    }


def _counts(counts: Counts) -> dict:
    return {
        "expected": counts.expected,
        "reported": counts.reported,
        "missing": counts.missing,
        "late": counts.late,
        "abnormal": counts.abnormal,
        "percent": counts.percent,
    }
