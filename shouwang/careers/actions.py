"""Careers' workflows: each atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify import actions as notify
from shouwang.people.models import Person

from .audit import CareersEvent
from .message_kinds import CAREERS
from .models import (
    NEEDS_EVIDENCE,
    Destination,
    DestinationReport,
    Employer,
    Evidence,
    FairEmployer,
    FollowUp,
    Graduate,
    JobFair,
    Offer,
    Participation,
    Position,
    PositionMajor,
    Registration,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A room's code is read off a screen and typed on a phone: no 0/O, 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


@transaction.atomic
def enrol_cohort(cohort: int, people: Iterable[Person], *, acting_user: User) -> int:
    """Make graduates of the cohort (届) of the roster's graduating students
    among `people` not yet graduates; returns how many are new."""
    students = [
        person for person in people if person.kind == Person.Kind.STUDENT and person.graduating
    ]
    existing = set(Graduate.objects.filter(person__in=students).values_list("person_id", flat=True))
    new = [
        Graduate(person=person, cohort=cohort) for person in students if person.pk not in existing
    ]
    Graduate.objects.bulk_create(new, batch_size=1000)
    if new:
        audit.record_many(
            CareersEvent.COHORT_ENROLLED,
            ((graduate, {"cohort": cohort}) for graduate in new),
            acting_user=acting_user,
        )
    return len(new)


@transaction.atomic
def report_destination(
    graduate: Graduate,
    destination: str,
    *,
    organisation: str = "",
    city: str = "",
    files: Sequence = (),
    offer: Offer | None = None,
    acting_user: User,
) -> DestinationReport:
    """File a destination for the counsellor to confirm; it replaces a report
    still waiting. A destination of work or study needs its evidence (an
    agreement, a contract, an admission letter) and the organisation."""
    if destination not in Destination.values:
        raise ValidationError(gettext("Unknown destination."))
    if destination in NEEDS_EVIDENCE:
        if not files:
            raise ValidationError(
                gettext("%(destination)s needs its evidence: the agreement, contract or letter.")
                % {"destination": Destination(destination).label}
            )
        if not organisation.strip():
            raise ValidationError(gettext("Name the employer or school."))
    graduate.reports.filter(status=DestinationReport.Status.PENDING).update(
        status=DestinationReport.Status.RETURNED,
        note=gettext("replaced by a newer report"),
        decided_at=clock.now(),
    )
    report = DestinationReport.objects.create(
        graduate=graduate,
        destination=destination,
        organisation=organisation.strip(),
        city=city.strip(),
        offer=offer,
        reported_by=acting_user,
    )
    Evidence.store(files, uploaded_by=acting_user, report=report)
    audit.record(
        CareersEvent.DESTINATION_REPORTED,
        graduate,
        acting_user=acting_user,
        destination=destination,
        report=report.pk,
    )
    counsellor = _counsellor(graduate)
    if counsellor is not None:
        notify.send(
            [counsellor],
            CAREERS,
            gettext("%(graduate)s reported a destination to confirm")
            % {"graduate": graduate.person.name},
            link=graduate.get_absolute_url(),
        )
    return report


def _counsellor(graduate: Graduate) -> Person | None:
    admin_class = graduate.person.admin_class
    return admin_class.counsellor if admin_class else None


@transaction.atomic
def confirm_report(report: DestinationReport, *, acting_user: User) -> Graduate:
    """The counsellor confirms a report: it becomes the graduate's destination."""
    report = DestinationReport.objects.select_for_update().get(pk=report.pk)
    if report.status != DestinationReport.Status.PENDING:
        raise ValidationError(gettext("This report has already been decided."))
    now = clock.now()
    report.status = DestinationReport.Status.CONFIRMED
    report.decided_by = acting_user.person
    report.decided_at = now
    report.save(update_fields=["status", "decided_by", "decided_at"])
    graduate = report.graduate
    graduate.destination = report.destination
    graduate.organisation = report.organisation
    graduate.city = report.city
    graduate.confirmed_at = now
    graduate.save(update_fields=["destination", "organisation", "city", "confirmed_at"])
    audit.record(
        CareersEvent.DESTINATION_CONFIRMED,
        graduate,
        acting_user=acting_user,
        destination=report.destination,
        report=report.pk,
    )
    notify.send(
        [graduate.person],
        CAREERS,
        gettext("Your destination is confirmed: %(destination)s")
        % {"destination": report.get_destination_display()},
        link=graduate.get_absolute_url(),
    )
    return graduate


@transaction.atomic
def return_report(report: DestinationReport, note: str, *, acting_user: User) -> None:
    """Send a report back with the reason; the destination stays as it was."""
    if not note.strip():
        raise ValidationError(gettext("Say why the report goes back."))
    report = DestinationReport.objects.select_for_update().get(pk=report.pk)
    if report.status != DestinationReport.Status.PENDING:
        raise ValidationError(gettext("This report has already been decided."))
    report.status = DestinationReport.Status.RETURNED
    report.note = note.strip()
    report.decided_by = acting_user.person
    report.decided_at = clock.now()
    report.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit.record(
        CareersEvent.DESTINATION_RETURNED,
        report.graduate,
        acting_user=acting_user,
        report=report.pk,
        note=report.note,
    )
    notify.send(
        [report.graduate.person],
        CAREERS,
        gettext("Your destination report was returned: %(note)s") % {"note": report.note},
        link=report.graduate.get_absolute_url(),
    )


@transaction.atomic
def set_difficulty(graduate: Graduate, difficulty: str, *, acting_user: User) -> Graduate:
    """Mark (or, with "", unmark) a graduate as 就业困难, to be followed up."""
    graduate.difficulty = difficulty
    graduate.full_clean(validate_unique=False, validate_constraints=False)
    graduate.save(update_fields=["difficulty"])
    audit.record(
        CareersEvent.DIFFICULTY_SET, graduate, acting_user=acting_user, difficulty=difficulty
    )
    return graduate


@transaction.atomic
def follow_up(
    graduate: Graduate,
    note: str,
    *,
    on: dt.date | None = None,
    next_step: str = "",
    acting_user: User,
) -> FollowUp:
    if not note.strip():
        raise ValidationError(gettext("Say what was done."))
    item = FollowUp.objects.create(
        graduate=graduate,
        by=acting_user.person,
        on=on or clock.today(),
        note=note.strip(),
        next_step=next_step.strip(),
    )
    audit.record(CareersEvent.FOLLOWED_UP, graduate, acting_user=acting_user, follow_up=item.pk)
    return item


@transaction.atomic
def save_employer(employer: Employer, *, acting_user: User) -> Employer:
    created = employer.pk is None
    employer.full_clean()
    employer.save()
    audit.record(
        CareersEvent.EMPLOYER_SAVED,
        employer,
        acting_user=acting_user,
        created=created,
        name=employer.name,
    )
    return employer


@transaction.atomic
def save_position(position: Position, majors: Iterable[str] = (), *, acting_user: User) -> Position:
    """Create or change a position with the majors it wants (none: every major).
    A new position goes into the matching graduates' next digest."""
    created = position.pk is None
    position.full_clean()
    position.save()
    wanted = {major.strip() for major in majors if major.strip()}
    position.majors.exclude(programme__in=wanted).delete()
    PositionMajor.objects.bulk_create(
        [PositionMajor(position=position, programme=major) for major in sorted(wanted)],
        ignore_conflicts=True,
    )
    audit.record(
        CareersEvent.POSITION_SAVED,
        position,
        acting_user=acting_user,
        created=created,
        title=position.title,
        majors=sorted(wanted),
    )
    return position


@transaction.atomic
def save_fair(fair: JobFair, *, acting_user: User) -> JobFair:
    created = fair.pk is None
    if created:
        fair.created_by = acting_user
    fair.full_clean()
    fair.save()
    audit.record(
        CareersEvent.FAIR_SAVED,
        fair,
        acting_user=acting_user,
        created=created,
        title=fair.title,
        held_on=fair.held_on.isoformat(),
    )
    return fair


def new_room_code(fair: JobFair) -> str:
    taken = set(fair.employers.values_list("room_code", flat=True))
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


@transaction.atomic
def save_room(
    fair: JobFair,
    employer: Employer,
    *,
    room_link: str = "",
    positions: Iterable[Position] = (),
    acting_user: User,
) -> FairEmployer:
    """Bring an employer to a fair (or change its room) with the positions it offers there."""
    chosen = list(positions)
    strangers = [position for position in chosen if position.employer_id != employer.pk]
    if strangers:
        raise ValidationError(
            gettext("%(position)s is not a position of %(employer)s.")
            % {"position": strangers[0].title, "employer": employer.name}
        )
    room, created = FairEmployer.objects.get_or_create(
        fair=fair,
        employer=employer,
        defaults={"room_link": room_link, "room_code": new_room_code(fair)},
    )
    if not created and room.room_link != room_link:
        room.room_link = room_link
        room.save(update_fields=["room_link"])
    room.positions.set(chosen)
    audit.record(
        CareersEvent.ROOM_SAVED,
        fair,
        acting_user=acting_user,
        employer=employer.name,
        positions=[position.pk for position in chosen],
    )
    return room


def register(fair: JobFair, person: Person, *, acting_user: User) -> Registration:
    """A graduate signs up for a fair, until it ends; twice is once."""
    if not Graduate.objects.filter(person=person).exists():
        raise ValidationError(gettext("Only graduates register for a job fair."))
    if clock.now() >= fair.ends:
        raise ValidationError(gettext("This fair is over."))
    registration, _created = Registration.objects.get_or_create(fair=fair, person=person)
    return registration


def record_participations(
    room: FairEmployer,
    minutes_by_person: Mapping[int, int | None],
    source: str,
) -> int:
    """Count each person (by pk) once in the room; returns how many are new.
    Seen again, by another source or another file, they stay counted once."""
    rows = [
        Participation(
            room=room, fair_id=room.fair_id, person_id=person_id, source=source, minutes=minutes
        )
        for person_id, minutes in minutes_by_person.items()
    ]
    before = room.participations.count()
    Participation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return room.participations.count() - before


def enter_room(fair: JobFair, person: Person, code: str) -> Participation:
    """A graduate types the code their employer's room shows, while the fair is on."""
    room = fair.employers.filter(room_code=code.strip().upper()).first()
    if room is None:
        raise ValidationError(gettext("No room of this fair shows that code."))
    now = clock.now()
    if not fair.starts <= now <= fair.ends:
        raise ValidationError(gettext("Room codes count only while the fair is on."))
    if not Graduate.objects.filter(person=person).exists():
        raise ValidationError(gettext("Only graduates are counted at a job fair."))
    try:
        with transaction.atomic():
            participation, _created = Participation.objects.get_or_create(
                room=room,
                person=person,
                defaults={"fair": fair, "source": Participation.Source.ROOM_CODE},
            )
    except IntegrityError:
        participation = Participation.objects.get(room=room, person=person)
    return participation


@transaction.atomic
def record_offer(
    graduate: Graduate,
    employer: Employer,
    *,
    offered_on: dt.date | None = None,
    position: Position | None = None,
    fair: JobFair | None = None,
    acting_user: User,
) -> Offer:
    if position is not None and position.employer_id != employer.pk:
        raise ValidationError(gettext("The position is not one of this employer's."))
    offer = Offer.objects.create(
        graduate=graduate,
        employer=employer,
        position=position,
        fair=fair,
        offered_on=offered_on or clock.today(),
        recorded_by=acting_user,
    )
    audit.record(
        CareersEvent.OFFER_RECORDED,
        graduate,
        acting_user=acting_user,
        offer=offer.pk,
        employer=employer.name,
    )
    return offer


@transaction.atomic
def accept_offer(
    offer: Offer,
    destination: str,
    *,
    files: Sequence = (),
    acting_user: User,
) -> DestinationReport:
    """The graduate takes the offer: their destination (an agreement, a
    contract…) goes to the counsellor to confirm, with the employer named."""
    if destination not in Destination.values or destination not in (
        Destination.AGREEMENT,
        Destination.CONTRACT,
        Destination.OTHER_HIRE,
        Destination.RESEARCH_ASSISTANT,
    ):
        raise ValidationError(gettext("An offer is taken as employment."))
    offer.graduate.offers.filter(status=Offer.Status.ACCEPTED).exclude(pk=offer.pk).update(
        status=Offer.Status.DECLINED
    )
    offer.status = Offer.Status.ACCEPTED
    offer.save(update_fields=["status"])
    return report_destination(
        offer.graduate,
        destination,
        organisation=offer.employer.name,
        city=(offer.position.city if offer.position else "") or offer.employer.city,
        files=files,
        offer=offer,
        acting_user=acting_user,
    )


@transaction.atomic
def mute_digest(graduate: Graduate, muted: bool, *, acting_user: User) -> Graduate:
    """A graduate mutes (or unmutes) their daily digest of positions and fairs.
    Unmuted, it starts from now: what came while it was muted is not sent."""
    graduate.digest_muted = muted
    fields = ["digest_muted"]
    if not muted:
        graduate.digest_sent_at = clock.now()
        fields.append("digest_sent_at")
    graduate.save(update_fields=fields)
    audit.record(CareersEvent.DIGEST_MUTED, graduate, acting_user=acting_user, muted=muted)
    return graduate


@transaction.atomic
def decline_offer(offer: Offer, *, acting_user: User) -> Offer:
    """The graduate turns an offer down; an accepted one stays accepted (its
    destination is with the counsellor)."""
    if offer.status != Offer.Status.OFFERED:
        raise ValidationError(gettext("This offer has already been answered."))
    offer.status = Offer.Status.DECLINED
    offer.save(update_fields=["status"])
    audit.record(
        CareersEvent.OFFER_DECLINED,
        offer.graduate,
        acting_user=acting_user,
        offer=offer.pk,
        employer=offer.employer.name,
    )
    return offer
