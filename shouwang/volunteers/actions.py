"""Shifts, the duty roster and community service: the changes people make.

Each is atomic and writes an audit row. A sign-up locks its shift's row
first: two members taking the last place at once are served one after the
other, and the second finds the shift full (SQLite's write lock, taken at
BEGIN, serialises them the same way).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from shouwang.core import audit, uploads
from shouwang.lib import clock
from shouwang.lib.images import clean_image
from shouwang.people.models import Person

from .audit import VolunteerEvent
from .models import DutyDay, ServiceReport, Shift, SignUp, Team

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from shouwang.accounts.models import User


class ShiftError(Exception):
    pass


class ShiftFull(ShiftError):
    pass


class ShiftStarted(ShiftError):
    pass


class AlreadySignedUp(ShiftError):
    pass


class PastCutoff(ShiftError):
    pass


class AlreadyCheckedIn(ShiftError):
    pass


class NotSignedUp(ShiftError):
    pass


class ReviewError(Exception):
    pass


@transaction.atomic
def add_shift(
    team: Team,
    *,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    places: int,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Shift:
    shift = Shift.objects.create(
        team=team,
        title=title,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        places=places,
        created_by=acting_user,
    )
    audit.record(
        VolunteerEvent.SHIFT_ADDED, shift, acting_user=acting_user, request=request, team=team.pk
    )
    return shift


def sign_up(
    shift: Shift, person: Person, *, acting_user: User | None, request: HttpRequest | None = None
) -> SignUp:
    """Take a place on the shift; never more sign-ups than places."""
    with transaction.atomic():
        # The row lock is what keeps the count and the insert together: a
        # concurrent sign-up waits here until this one commits, then counts it.
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if locked.has_started:
            raise ShiftStarted
        if locked.signups.filter(person=person).exists():
            raise AlreadySignedUp
        if locked.signups.count() >= locked.places:
            raise ShiftFull
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(shift=locked, person=person)
        except IntegrityError as error:  # a double tap that raced itself
            raise AlreadySignedUp from error
        audit.record(
            VolunteerEvent.SIGNED_UP,
            locked,
            acting_user=acting_user,
            request=request,
            person=person.pk,
        )
    return signup


@transaction.atomic
def withdraw(
    shift: Shift, person: Person, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Give the place back, until the shift's withdrawal cut-off."""
    if clock.now() >= shift.withdrawal_cutoff:
        raise PastCutoff
    deleted, _ = SignUp.objects.filter(
        shift=shift, person=person, checked_in_at__isnull=True
    ).delete()
    if not deleted:
        raise NotSignedUp
    audit.record(
        VolunteerEvent.WITHDRAWN, shift, acting_user=acting_user, request=request, person=person.pk
    )


@transaction.atomic
def check_in(signup: SignUp, *, acting_user: User, request: HttpRequest | None = None) -> None:
    if not signup.check_in(clock.now()):
        raise AlreadyCheckedIn
    audit.record(
        VolunteerEvent.CHECKED_IN,
        signup.shift,
        acting_user=acting_user,
        request=request,
        person=signup.person_id,
    )


@transaction.atomic
def check_out(signup: SignUp, *, acting_user: User, request: HttpRequest | None = None) -> None:
    if not signup.check_out(clock.now()):
        raise ShiftError
    audit.record(
        VolunteerEvent.CHECKED_OUT,
        signup.shift,
        acting_user=acting_user,
        request=request,
        person=signup.person_id,
        minutes=signup.minutes,
    )


@transaction.atomic
def record_duty(
    person: Person,
    day: dt.date,
    *,
    mode: str,
    role: str,
    acting_user: User,
    request: HttpRequest | None = None,
) -> DutyDay:
    """Put a person's day on the roster, or change it: one row per person and day."""
    row, created = DutyDay.objects.update_or_create(
        person=person,
        date=day,
        defaults={"mode": mode, "role": role, "recorded_by": acting_user},
    )
    audit.record(
        VolunteerEvent.DUTY_RECORDED,
        person,
        acting_user=acting_user,
        request=request,
        date=day.isoformat(),
        mode=mode,
        role=role,
    )
    return row


@transaction.atomic
def submit_report(
    person: Person,
    *,
    date: dt.date,
    province: str,
    city: str,
    place: str,
    activity: str,
    hours: Decimal,
    photo: UploadedFile | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> ServiceReport:
    """A student's report of service in their home community, photo stripped of its metadata.

    Raises ValidationError, storing nothing, for an unreadable photo or one
    past the student's quota."""
    clean = clean_image(photo) if photo is not None else None
    if clean is not None:
        uploads.reserve(acting_user, [clean])
    report = ServiceReport(
        person=person,
        date=date,
        province=province,
        city=city,
        place=place,
        activity=activity,
        hours=hours,
    )
    if clean is not None:
        report.photo.save(clean.name, clean, save=False)
        report.photo_size = clean.size
    report.save()
    audit.record(VolunteerEvent.SERVICE_REPORTED, report, acting_user=acting_user, request=request)
    return report


def review_report(
    report: ServiceReport,
    *,
    approve: bool,
    note: str,
    acting_user: User,
    request: HttpRequest | None = None,
) -> None:
    """Approve or return a report waiting for its counsellor; only once."""
    status = ServiceReport.Status.APPROVED if approve else ServiceReport.Status.RETURNED
    now = clock.now()
    with transaction.atomic():
        # The conditional UPDATE lets one of two clicks (or two tabs) decide.
        if not ServiceReport.objects.filter(
            pk=report.pk, status=ServiceReport.Status.SUBMITTED
        ).update(status=status, reviewed_by=acting_user.person, reviewed_at=now, review_note=note):
            raise ReviewError
        audit.record(
            VolunteerEvent.SERVICE_APPROVED if approve else VolunteerEvent.SERVICE_RETURNED,
            report,
            acting_user=acting_user,
            request=request,
            note=note,
        )
    report.status, report.reviewed_at, report.review_note = status, now, note
    report.reviewed_by = acting_user.person
