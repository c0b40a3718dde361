"""Compliance's JSON endpoint, mounted by `shouwang.api`: the counts per class
in my scope, as the compliance page reads them."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
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
            "YYYY-MM-DD: a day the incident ran (from its start to its close), not "
            "after today; 422 otherwise. Leave it out for today (a closed incident's "
            "last day); an empty value is 422."
        ),
    },
    {
        "in": "query",
        "name": "incident",
        "required": False,
        "schema": {"type": "integer", "minimum": 1},
        "description": (
            "Incident id; leave it out for the newest open incident. 404 if there is "
            "no such incident in your scope; an empty value is 422."
        ),
    },
]


PARAMETERS: list[str] = [str(parameter["name"]) for parameter in COMPLIANCE_PARAMETERS]


@router.get(
    "/compliance",
    response={200: ComplianceOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="compliance",
    operation_id="compliance",
    summary="Compliance per class",
    openapi_extra={
        "parameters": COMPLIANCE_PARAMETERS,
        "responses": {
            422: {
                "description": (
                    "A parameter given empty, or a day not yet come or not the incident's."
                )
            }
        },
    },
)
def class_compliance(request: AuthedRequest) -> dict | Status:
    """Expected, reported, missing, late and abnormal counts per class for a day:
    a counsellor's own classes; every class (and the people in none, per unit)
    for leaders and admins."""
    # Parameters are read by the compliance page's form, after the role check,
    # so that a student learns nothing from a malformed query.
    require_checkins_reader(request)
    # The page's form takes an empty value for the default; here it is no value
    # of the type the schema gives, so it is refused rather than guessed at.
    blank = {
        name: [{"message": _("Give a value, or leave the parameter out."), "code": "blank"}]
        for name in PARAMETERS
        if name in request.GET and not request.GET[name].strip()
    }
    if blank:
        return Status(422, invalid(blank))
    form = DayForm(request.GET, user=request.user)
    if not form.is_valid():
        if "incident" in form.errors:
            raise Http404
        return Status(422, invalid(form.errors.get_json_data()))
    incident = form.cleaned_data["incident"] or default_incident(request.user)
    day = form.cleaned_data["date"]
    if day and incident and not incident.covers(day):
        # Nothing was asked of anyone that day (and a day centuries back has
        # no deadline worth giving: its offset would be the local mean time's).
        error = {"message": _("The incident did not run that day."), "code": "not_covered"}
        return Status(422, invalid({"date": [error]}))
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
