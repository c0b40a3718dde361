"""The check-in's JSON endpoints, mounted by `shouwang.api`: submit today's
check-in, read my status today.

Each endpoint validates with the page's form and acts through the page's
action, so the API can do nothing the pages cannot.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic.json_schema import JsonDict

from shouwang.accounts.http import AuthedRequest
from shouwang.core.api_errors import ErrorOut, invalid
from shouwang.incidents.models import Incident

from .actions import CheckInRefused, may_check_in, submit_checkin
from .forms import CheckInForm, Health
from .models import CheckIn, Location, Symptom
from .status import CheckInStatus, checkin_status

router = Router(tags=["check-ins"])


# Away from campus, the place is asked for: the schema says so as the form does.
PLACE_REQUIRED_AWAY: JsonDict = {
    "if": {
        "properties": {"location": {"enum": [Location.HOME.value, Location.ELSEWHERE.value]}},
        "required": ["location"],
    },
    "then": {
        "required": ["province", "city"],
        "properties": {"province": {"minLength": 1}, "city": {"minLength": 1}},
    },
}


class CheckInIn(Schema):
    """Today's answers. Validated by the check-in page's form: the same rules,
    the same messages."""

    model_config = {"json_schema_extra": PLACE_REQUIRED_AWAY}

    key: uuid.UUID = Field(
        description=(
            "Idempotency key, made once per submission by the client: a retry with "
            "the same key is the same submission and writes nothing."
        )
    )
    location: str = Field(json_schema_extra={"enum": list(Location.values)})
    province: str = Field(
        "",
        description=(
            "Province code (GB/T 2260, two digits, e.g. 14): required at home or "
            "elsewhere, ignored on campus."
        ),
    )
    city: str = Field(
        "",
        description=(
            "City code of that province (four digits, e.g. 1401): required at home "
            "or elsewhere, ignored on campus."
        ),
    )
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


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def incident_out(incident: Incident | None) -> dict | None:
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
        "incident": incident_out(status.incident),
        "deadline": local(status.deadline),
        "past_deadline": status.past_deadline,
        "privacy_notice_accepted": status.notice_accepted,
        "submitted": checkin is not None,
        "submitted_at": local(checkin.submitted_at) if checkin else None,
        "updated_at": local(checkin.updated_at) if checkin else None,
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
def my_checkin(request: AuthedRequest) -> dict:
    """Whether I must check in today, by when, and what I submitted if I did."""
    return _status(checkin_status(request.user.person))


@router.post(
    "/checkins/today",
    response={
        200: StatusOut,
        201: StatusOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
    url_name="checkin_submit",
    operation_id="checkins_submit_today",
    summary="Submit today's check-in",
)
def submit_today(request: AuthedRequest, payload: CheckInIn) -> Status:
    """Submit or correct today's check-in. 201 when it is the day's first, 200
    when it corrects an earlier one or repeats a key already submitted."""
    status = checkin_status(request.user.person)
    try:
        # Before the answers are read: someone who may not check in learns
        # nothing from their validation.
        may_check_in(status)
        form = CheckInForm(payload.form_data())
        if not form.is_valid():
            return Status(422, invalid(form.errors.get_json_data()))
        submission = submit_checkin(
            status, form.answers(), form.cleaned_data["key"], acting_user=request.user
        )
    except CheckInRefused as refused:
        return Status(403, {"detail": str(refused.message), "code": refused.code})
    return Status(201 if submission.created else 200, _status(checkin_status(status.person)))
