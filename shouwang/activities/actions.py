"""Activities' workflows: each atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from shouwang.core import audit
from shouwang.core.uploads import IMAGES, OFFICE, extension
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Person, Unit

from .audit import ActivitiesEvent
from .models import VIDEOS, Activity, Entry, EntryFile, ExternalAward, Session, SignUp, Team

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# What each kind of entry may be sent as.
ENTRY_EXTENSIONS: dict[str, frozenset[str]] = {
    Activity.EntryKind.IMAGE: IMAGES,
    Activity.EntryKind.VIDEO: VIDEOS,
    Activity.EntryKind.DOCUMENT: OFFICE | {"pdf"},
}
# Per file, by kind: an image is re-encoded, a video is the large one.
ENTRY_MAX_BYTES: dict[str, int] = {
    Activity.EntryKind.IMAGE: 10 * 1024 * 1024,
    Activity.EntryKind.VIDEO: 200 * 1024 * 1024,
    Activity.EntryKind.DOCUMENT: 20 * 1024 * 1024,
}
MAX_FILES = 5


@transaction.atomic
def save_activity(
    activity: Activity,
    *,
    organisers: Iterable[Person] = (),
    classes: Iterable[AdminClass] = (),
    acting_user: User,
) -> Activity:
    created = activity.pk is None
    if created:
        activity.created_by = acting_user
    activity.full_clean()
    activity.save()
    activity.organisers.set(list(organisers))
    chosen = list(classes)
    if activity.audience == Activity.Audience.CLASSES and not chosen:
        raise ValidationError(gettext("Choose the classes the activity is open to."))
    activity.classes.set(chosen if activity.audience == Activity.Audience.CLASSES else [])
    audit.record(
        ActivitiesEvent.ACTIVITY_SAVED,
        activity,
        acting_user=acting_user,
        created=created,
        title=activity.title,
    )
    return activity


def refusal(activity: Activity, person: Person) -> str | None:
    """Why `person` may not join `activity`; None if they may."""
    if person.kind != Person.Kind.STUDENT:
        return gettext("Only students take part.")
    if activity.signup_closes_at is not None and clock.now() > activity.signup_closes_at:
        return gettext("Sign-up has closed.")
    if activity.ends_on < clock.today():
        return gettext("The activity is over.")
    return audience_refusal(activity, person)


def _units_of(person: Person) -> set[int]:
    if person.unit_id is None:
        return set()
    return Unit.ancestor_ids(person.unit_id)


def _check_may_join(activity: Activity, person: Person) -> None:
    reason = refusal(activity, person)
    if reason is not None:
        raise ValidationError(
            gettext("%(person)s: %(reason)s") % {"person": person.name, "reason": reason}
        )


@transaction.atomic
def sign_up(activity: Activity, person: Person, *, acting_user: User) -> SignUp:
    """A student joins alone; signing up twice is once."""
    existing = SignUp.objects.filter(activity=activity, person=person).first()
    if existing is not None:
        return existing
    _check_may_join(activity, person)
    signup = SignUp.objects.create(activity=activity, person=person)
    audit.record(ActivitiesEvent.SIGNED_UP, activity, acting_user=acting_user, person=person.pk)
    return signup


@transaction.atomic
def create_team(
    activity: Activity,
    leader: Person,
    name: str,
    members: Sequence[Person] = (),
    *,
    acting_user: User,
) -> Team:
    """A leader signs up with their team: every member must be free to join,
    and the team no larger than the activity allows."""
    if not activity.takes_teams:
        raise ValidationError(gettext("This activity takes students alone, not teams."))
    people = [leader, *[member for member in members if member.pk != leader.pk]]
    if len(people) > activity.team_size_max:
        raise ValidationError(
            gettext("A team has at most %(max)d members.") % {"max": activity.team_size_max}
        )
    taken = SignUp.objects.filter(activity=activity, person__in=people).select_related("person")
    if taken:
        raise ValidationError(
            gettext("%(person)s has already signed up.") % {"person": taken[0].person.name}
        )
    for person in people:
        _check_may_join(activity, person)
    if not name.strip():
        raise ValidationError(gettext("Give the team a name."))
    if activity.teams.filter(name=name.strip()).exists():
        raise ValidationError(gettext("Another team has this name."))
    team = Team.objects.create(activity=activity, name=name.strip(), leader=leader)
    SignUp.objects.bulk_create([SignUp(activity=activity, person=p, team=team) for p in people])
    audit.record(
        ActivitiesEvent.TEAM_SAVED,
        activity,
        acting_user=acting_user,
        team=team.name,
        members=[person.pk for person in people],
    )
    return team


def kind_of_file(name: str) -> str | None:
    ext = extension(name)
    return next((kind for kind, exts in ENTRY_EXTENSIONS.items() if ext in exts), None)


def check_files(activity: Activity, files: Sequence) -> None:
    """Files of the kinds the activity takes, each within its size."""
    if not files:
        raise ValidationError(gettext("Attach the work."))
    if len(files) > MAX_FILES:
        raise ValidationError(gettext("At most %(n)d files.") % {"n": MAX_FILES})
    for file in files:
        kind = kind_of_file(file.name or "")
        if kind is None or kind not in activity.entry_kinds:
            raise ValidationError(
                gettext("%(name)s is not a kind of file this activity takes.") % {"name": file.name}
            )
        if (file.size or 0) > ENTRY_MAX_BYTES[kind]:
            raise ValidationError(
                gettext("%(name)s is larger than %(mb)d MB.")
                % {"name": file.name, "mb": ENTRY_MAX_BYTES[kind] // (1024 * 1024)}
            )


@transaction.atomic
def submit_entry(
    activity: Activity,
    person: Person,
    title: str,
    files: Sequence,
    *,
    description: str = "",
    acting_user: User,
) -> Entry:
    """Submit (or, before the deadline, replace) the entry of a student alone
    or of their team. Images are re-encoded; the files count toward the
    sender's quota."""
    if not activity.takes_entries:
        raise ValidationError(gettext("This activity takes no entries."))
    if activity.entries_close_at is None or clock.now() > activity.entries_close_at:
        raise ValidationError(gettext("Entries have closed."))
    signup = SignUp.objects.filter(activity=activity, person=person).first()
    if signup is None:
        raise ValidationError(gettext("Sign up first."))
    if not title.strip():
        raise ValidationError(gettext("Give the entry a title."))
    check_files(activity, files)
    if signup.team_id is not None:
        entry = Entry.objects.filter(activity=activity, team_id=signup.team_id).first()
    else:
        entry = Entry.objects.filter(activity=activity, person=person, team=None).first()
    if entry is None:
        entry = Entry(activity=activity, team_id=signup.team_id)
    entry.person = person
    entry.title = title.strip()
    entry.description = description.strip()
    entry.submitted_at = clock.now()
    entry.save()
    entry.files.all().delete()
    EntryFile.store(files, uploaded_by=acting_user, entry=entry)
    audit.record(
        ActivitiesEvent.ENTRY_SUBMITTED,
        activity,
        acting_user=acting_user,
        entry=entry.pk,
        title=entry.title,
    )
    return entry


def audience_refusal(activity: Activity, person: Person) -> str | None:
    """Why `person` is not of the students `activity` is open to; None if they are."""
    if person.kind != Person.Kind.STUDENT:
        return gettext("Only students take part.")
    if activity.audience == Activity.Audience.GRADUATING and not person.graduating:
        return gettext("This activity is for graduating students.")
    if (
        activity.audience == Activity.Audience.CLASSES
        and not activity.classes.filter(pk=person.admin_class_id or 0).exists()
    ):
        return gettext("This activity is not open to your class.")
    # The whole college, or its graduating students: of the activity's unit.
    if activity.audience != Activity.Audience.CLASSES and activity.unit_id not in (
        _units_of(person)
    ):
        return gettext("This activity is for another college.")
    return None


@transaction.atomic
def withdraw(activity: Activity, person: Person, *, acting_user: User) -> None:
    """A student leaves an activity before sign-up closes: alone, their
    sign-up goes; a team's leader takes the whole team out, a member only
    themselves. Not once an entry is in or an award recorded: the organisers
    decide those."""
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .filter(activity=activity, person=person)
        .select_related("team")
        .first()
    )
    if signup is None:
        raise ValidationError(gettext("You have not signed up."))
    if activity.signup_closes_at is not None and clock.now() > activity.signup_closes_at:
        raise ValidationError(gettext("Sign-up has closed: you can no longer withdraw."))
    if activity.ends_on < clock.today():
        raise ValidationError(gettext("The activity is over."))
    team = signup.team
    entries = Entry.objects.filter(activity=activity)
    entries = entries.filter(team=team) if team else entries.filter(person=person, team=None)
    if entries.exists():
        raise ValidationError(gettext("Your entry is in: ask the organisers if you must withdraw."))
    if signup.external_awards.exists():
        raise ValidationError(gettext("An award is recorded for you: ask the organisers."))
    whole_team = team is not None and team.leader_id == person.pk
    if whole_team and team is not None:
        members = list(team.members.values_list("person_id", flat=True))
        team.delete()
    else:
        members = [person.pk]
        signup.delete()
    audit.record(
        ActivitiesEvent.WITHDRAWN,
        activity,
        acting_user=acting_user,
        person=person.pk,
        team=team.name if whole_team and team else "",
        members=members,
    )


@transaction.atomic
def save_session(session: Session, *, acting_user: User) -> Session:
    """A forum's meeting or a lecture: its time, platform, link and speaker."""
    created = session.pk is None
    session.full_clean()
    session.save()
    audit.record(
        ActivitiesEvent.SESSION_SAVED,
        session.activity,
        acting_user=acting_user,
        session=session.pk,
        created=created,
        title=session.title,
    )
    return session


@transaction.atomic
def record_external_award(
    signup: SignUp,
    level: str,
    prize: str,
    awarded_on: dt.date,
    *,
    acting_user: User,
) -> ExternalAward:
    """An award a student (or a team's member) won at an external contest:
    one per sign-up and level, a second recording of it corrects the first."""
    activity = signup.activity
    if not activity.external:
        raise ValidationError(gettext("Only an external contest records awards won outside."))
    if awarded_on > clock.today():
        raise ValidationError(gettext("The award's date is still to come."))
    award, created = ExternalAward.objects.update_or_create(
        signup=signup,
        level=level,
        defaults={
            "activity": activity,
            "prize": prize,
            "awarded_on": awarded_on,
            "recorded_by": acting_user,
        },
    )
    audit.record(
        ActivitiesEvent.EXTERNAL_AWARD_RECORDED,
        activity,
        acting_user=acting_user,
        person=signup.person_id,
        level=level,
        prize=prize,
        created=created,
    )
    return award
