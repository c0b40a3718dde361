"""A check-in's answers as people read them, and "same as yesterday": the
answers of yesterday offered for today, on the check-in page and on the home
page, where one tap submits them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .forms import CheckInForm
from .models import CheckIn, Location, Symptom
from .status import CheckInStatus


def answer_rows(checkin: CheckIn, *, with_temperature: bool = True) -> list[tuple[str, str]]:
    """A check-in's answers as (question, answer) lines, in the person's words."""
    yes, no = _("yes"), _("no")
    if checkin.location == Location.CAMPUS:
        where = str(Location.CAMPUS.label)
    else:
        where = f"{checkin.get_location_display()} · {checkin.place}"
    symptoms = [str(Symptom(code).label) for code in checkin.symptoms if code in Symptom.values]
    if symptoms:
        health = _("not well: %(symptoms)s") % {
            "symptoms": pgettext("list separator", ", ").join(symptoms)
        }
    else:
        health = _("well")
    rows = [(_("Where"), where), (_("Health"), health)]
    if with_temperature:
        temperature = f"{checkin.temperature} °C" if checkin.temperature is not None else "—"
        rows.append((_("Temperature"), temperature))
    rows += [
        (_("Contact with a case"), yes if checkin.contact_with_case else no),
        (_("Stayed in a risk area"), yes if checkin.stayed_in_risk_area else no),
        (_("Note"), checkin.note or "—"),
    ]
    return rows


@dataclass(frozen=True)
class SameAsYesterday:
    """Yesterday's answers, ready to be submitted for today as they stand."""

    yesterday: CheckIn
    # Unbound, holding yesterday's answers (no temperature) and a fresh key.
    form: CheckInForm

    @property
    def answers(self) -> list[tuple[str, str]]:
        return answer_rows(self.yesterday, with_temperature=False)


def _initial(yesterday: CheckIn) -> dict:
    # A temperature is a reading of today: it is never carried over.
    return {
        **CheckInForm.initial_from(yesterday),
        "key": uuid.uuid4(),
        "temperature": None,
        "same_as_yesterday": True,
    }


def _as_posted(initial: dict) -> QueryDict:
    """The form's initial values as the hidden fields of the page would post them."""
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif value is not None:
            data[name] = str(value)
    return data


def same_as_yesterday(status: CheckInStatus) -> SameAsYesterday | None:
    """Yesterday's answers to confirm for today, when `status`'s person may
    check in, has not yet today, checked in yesterday, and yesterday's answers
    pass today's form as they stand. Otherwise None: the form is to be filled in
    (a question yesterday's check-in did not answer is asked)."""
    if not status.required or not status.notice_accepted or status.done:
        return None
    yesterday = status.yesterday
    if yesterday is None:
        return None
    initial = _initial(yesterday)
    if not CheckInForm(_as_posted(initial)).is_valid():
        return None
    return SameAsYesterday(yesterday, CheckInForm(initial=initial))
