"""The check-in's JSON endpoints, mounted by `shouwang.api`: submit today's
check-in, read my status today, read compliance for the classes in my scope.

Each endpoint validates with the page's form and acts through the page's
action and access helpers, so the API can do nothing the pages cannot.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from shouwang.api.errors import ErrorOut, invalid
from shouwang.incidents.models import Incident
from shouwang.lib import clock

from . import compliance
from .access import require_compliance_viewer
from .actions import submit_checkin
from .forms import CheckInForm, Health
from .models import CheckIn, Location, Symptom
from .status import CheckInStatus, checkin_status
from .views.compliance import DayForm

router = Router(tags=["check-ins"])


class CheckInIn(Schema):
    """Today's answers. Validated by the check-in page's form: the same rules,
    the same messages."""

    key: uuid.UUID = Field(
        description=(
            "Idempotency key, made once per submission by the client: a retry with "
            "the same key is the same submission and writes nothing."
        )
    )
    location: str = Field(json_schema_extra={"enum": list(Location.values)})
    province: str = Field("", description="Province code (lib/divisions), unless on campus.")
    city: str = Field("", description="City code within the province, unless on campus.")
    symptoms: list[str] = Field(
        description="Empty when well.",
        json_schema_extra={"items": {"type": "string", "enum": list(Symptom.values)}},
    )
    temperature: Decimal | None = Field(None, description="°C, 35.0–42.0, one decimal.")
    contact_with_case: bool
    stayed_in_risk_area: bool
    note: str = ""

    def form_data(self) -> dict[str, Any]:
        """The answers as the page's form posts them."""
        yes_no = {True: "yes", False: "no"}
        return {
            "key": str(self.key),
            "location": self.location,
            "province": self.province,
            "city": self.city,
            # The page asks "are you well?" before the symptoms; here the list says it.
            "health": Health.UNWELL if self.symptoms else Health.NORMAL,
            "symptoms": self.symptoms,
            "temperature": "" if self.temperature is None else str(self.temperature),
            "contact_with_case": yes_no[self.contact_with_case],
            "stayed_in_risk_area": yes_no[self.stayed_in_risk_area],
            "note": self.note,
        }


class IncidentOut(Schema):
    id: int
    title: str
    level: int


class AnswersOut(Schema):
    location: str
    province: str
    city: str
    place: str = Field(description="Where, in words: on campus, or province and city.")
    symptoms: list[str]
    temperature: float | None
    contact_with_case: bool
    stayed_in_risk_area: bool
    note: str


class StatusOut(Schema):
    date: dt.date = Field(description="Today, in Beijing time.")
    required: bool = Field(description="Whether an open incident asks you to check in.")
    incident: IncidentOut | None
    deadline: dt.datetime | None
    past_deadline: bool
    privacy_notice_accepted: bool = Field(
        description="The notice must be accepted on the check-in page before the first check-in."
    )
    submitted: bool
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    late: bool | None = Field(description="Null until submitted.")
    overdue: bool = Field(description="Not submitted and past the deadline.")
    answers: AnswersOut | None


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


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def _incident(incident: Incident | None) -> dict | None:
    if incident is None:
        return None
    return {"id": incident.pk, "title": incident.title, "level": incident.level}


def _answers(checkin: CheckIn) -> dict:
    return {
        "location": checkin.location,
        "province": checkin.province,
        "city": checkin.city,
        "place": checkin.place,
        "symptoms": list(checkin.symptoms),
        "temperature": float(checkin.temperature) if checkin.temperature is not None else None,
        "contact_with_case": checkin.contact_with_case,
        "stayed_in_risk_area": checkin.stayed_in_risk_area,
        "note": checkin.note,
    }


def _status(status: CheckInStatus) -> dict:
    checkin = status.checkin
    return {
        "date": status.day,
        "required": status.required,
        "incident": _incident(status.incident),
        "deadline": _local(status.deadline),
        "past_deadline": status.past_deadline,
        "privacy_notice_accepted": status.notice_accepted,
        "submitted": checkin is not None,
        "submitted_at": _local(checkin.submitted_at) if checkin else None,
        "updated_at": _local(checkin.updated_at) if checkin else None,
        "late": checkin.late if checkin else None,
        "overdue": status.overdue,
        "answers": _answers(checkin) if checkin else None,
    }


@router.get(
    "/checkins/me",
    response={200: StatusOut, 401: ErrorOut},
    url_name="checkin_me",
    operation_id="checkins_me",
    summary="My check-in today",
)
def my_checkin(request):
    """Whether I must check in today, by when, and what I submitted if I did."""
    return _status(checkin_status(request.user.person))


@router.post(
    "/checkins/today",
    response={200: StatusOut, 201: StatusOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="checkin_submit",
    operation_id="checkins_submit_today",
    summary="Submit today's check-in",
)
def submit_today(request, payload: CheckInIn):
    """Submit or correct today's check-in. 201 when it is the day's first, 200
    when it corrects an earlier one or repeats a key already submitted."""
    person = request.user.person
    status = checkin_status(person)
    if status.incident is None or person is None:
        return Status(
            403,
            {"detail": _("No open incident asks you to check in today."), "code": "not_required"},
        )
    if not status.notice_accepted:
        return Status(
            403,
            {
                "detail": _("Read and accept the privacy notice on the check-in page first."),
                "code": "privacy_notice",
            },
        )
    form = CheckInForm(payload.form_data())
    if not form.is_valid():
        return Status(422, invalid(form.errors.get_json_data()))
    submission = submit_checkin(
        person,
        status.incident,
        form.answers(),
        form.cleaned_data["key"],
        acting_user=request.user,
    )
    after = checkin_status(person)
    return Status(201 if submission.created else 200, _status(after))


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
def class_compliance(request):
    """Expected, reported, missing, late and abnormal counts per class for a day:
    a counsellor's own classes; every class (and the people in none, per unit)
    for leaders and admins."""
    # Parameters are read by the compliance page's form, after the role check,
    # so that a student learns nothing from a malformed query.
    require_compliance_viewer(request)
    form = DayForm(request.GET, user=request.user)
    if not form.is_valid():
        if "incident" in form.errors:
            raise Http404
        return Status(422, invalid(form.errors.get_json_data()))
    incident = form.cleaned_data["incident"] or compliance.default_incident(request.user)
    day = form.cleaned_data["date"]
    if incident is None:
        day = day or clock.today()
        return {
            "incident": None,
            "date": day,
            "deadline": None,
            "total": _counts(compliance.Counts()),
            "classes": [],
        }
    day = day or compliance.default_day(incident)
    scope = compliance.scope_for(request.user)
    tally = compliance.tally(incident, day, scope)
    rows = sorted(tally.class_rows(), key=lambda row: (row.kind != "class", row.label))
    return {
        "incident": _incident(incident),
        "date": day,
        "deadline": _local(incident.deadline_at(day)),
        "total": _counts(tally.total),
        "classes": [
            {"kind": row.kind, "id": row.pk, "name": row.label, **_counts(row.counts)}
            for row in rows
        ],
    }


def _counts(counts: compliance.Counts) -> dict:
    return {
        "expected": counts.expected,
        "reported": counts.reported,
        "missing": counts.missing,
        "late": counts.late,
        "abnormal": counts.abnormal,
        "percent": counts.percent,
    }
