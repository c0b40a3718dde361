"""Roster workflows: check a file, then commit its valid rows in one transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.lib.pinyin import pinyin_keys
from shouwang.lib.text import mask_mobile

from .audit import PeopleEvent
from .dorms import Dorm
from .models import AdminClass, Branch, DormRoom, Person, RosterImport, Unit, counsellor_refusal
from .roster import RosterCheck, RosterDefaults, RosterRow

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class RosterBlocked(Exception):
    """The check left something undecided (a category to choose): nothing is committed."""


# What a new person gets where the file states nothing.
PERSON_DEFAULTS = {
    "kind": Person.Kind.STUDENT,
    "gender": "",
    "mobile": "",
    "political_status": Person.PoliticalStatus.MASSES,
    "unit_id": None,
    "grade": None,
    "programme": "",
    "degree_level": "",
    "admin_class_id": None,
    "dorm_room_id": None,
    "branch_id": None,
    "graduating": False,
    "status": Person.Status.PRESENT,
    "wecom_userid": "",
    "dingtalk_userid": "",
}
PERSON_FIELDS = ("name", *PERSON_DEFAULTS)
CLASS_FIELDS = ("grade", "programme", "degree_level", "unit_id", "counsellor_id")
BATCH = 1000
QUERY_SLICE = 900


def defaults_for(roster_import: RosterImport) -> RosterDefaults:
    """The defaults chosen on an import's preview, as the check takes them."""
    unit = roster_import.default_unit
    return RosterDefaults(unit=unit.name if unit else "", kind=roster_import.default_kind or None)


@transaction.atomic
def commit_roster(
    roster_import: RosterImport, check: RosterCheck, *, acting_user: User | None
) -> dict[str, int]:
    """Create or update, by number, every valid row of a checked roster.

    All or nothing: one transaction. Only what a row states is written, and a
    row identical to what is stored is not written at all, so importing the
    same file twice changes nothing the second time.
    """
    if check.blocked:
        raise RosterBlocked("; ".join(w.message for w in check.warnings if w.blocking))
    rows = check.rows
    units_created = []
    if check.units_to_create:
        parent = Unit.objects.get(name=check.defaults.parent) if check.defaults.parent else None
        units_created = create_units(check.units_to_create, parent=parent, acting_user=acting_user)
    units = dict(Unit.objects.values_list("name", "pk"))
    branches = dict(Branch.objects.values_list("name", "pk"))
    dorms = _ensure_dorm_rooms([row.dorm for row in rows if row.dorm is not None])
    classes, created_classes = _ensure_classes(rows)

    existing = _stored_people(sorted({row.number for row in rows}))
    # Names repeat (张伟, 王芳, …), and pinyin is the slowest step of a large import.
    pinyin = functools.cache(pinyin_keys)
    to_create: list[Person] = []
    # Updates grouped by the fields they change: bulk_update writes every named
    # field of every object, and these objects carry only what changed.
    to_update: dict[tuple[str, ...], list[Person]] = {}
    # Each person changed, with their fields before and after, for the log.
    changed_people: list[tuple[Person, dict]] = []
    for row in rows:
        values = _stated_values(row, units, branches, dorms, classes)
        stored = existing.get(row.number)
        if stored is None:
            name_pinyin, name_initials = pinyin(row.name)
            to_create.append(
                Person(
                    number=row.number,
                    name_pinyin=name_pinyin,
                    name_initials=name_initials,
                    created_by_import=roster_import,
                    **{**PERSON_DEFAULTS, **values},
                )
            )
            continue
        changed = {name: value for name, value in values.items() if stored[name] != value}
        if changed:
            changes = {name: [stored[name], value] for name, value in changed.items()}
            changed_people.append(
                (
                    Person(pk=stored["pk"], number=row.number, name=stored["name"]),
                    {"changes": _shown(changes), "roster_import": roster_import.pk},
                )
            )
            if "name" in changed:
                changed["name_pinyin"], changed["name_initials"] = pinyin(row.name)
            to_update.setdefault(tuple(sorted(changed)), []).append(
                Person(pk=stored["pk"], **changed)
            )
    Person.objects.bulk_create(to_create, batch_size=BATCH)
    for field_names, people in to_update.items():
        Person.objects.bulk_update(people, field_names, batch_size=BATCH)
    updated = sum(map(len, to_update.values()))
    class_changes = _update_classes(rows, classes)
    classes_updated = len(class_changes.keys() - created_classes)

    summary: dict[str, Any] = {
        "created": len(to_create),
        "updated": updated,
        "unchanged": len(rows) - len(to_create) - updated,
        "classes_created": len(created_classes),
        "classes_updated": classes_updated,
        "units_created": len(units_created),
    }
    # The counts shown are those of the check that was committed, which may
    # differ from the preview if the database changed in between.
    fields = roster_import.store_check(check)
    roster_import.summary = summary
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.committed_at = timezone.now()
    roster_import.save(update_fields=[*fields, "summary", "status", "committed_at"])
    audit.record(PeopleEvent.ROSTER_COMMITTED, roster_import, acting_user=acting_user, **summary)
    # A person the import created names it (created_by_import); the log keeps
    # what it changed of the people there were, and of the classes.
    audit.record_many(PeopleEvent.PERSON_CHANGED, changed_people, acting_user=acting_user)
    for kind, names in (
        (PeopleEvent.CLASS_CREATED, sorted(created_classes)),
        (PeopleEvent.CLASS_CHANGED, sorted(class_changes.keys() - created_classes)),
    ):
        entries = [
            (
                classes[name],
                {"changes": _shown(class_changes.get(name, {})), "roster_import": roster_import.pk},
            )
            for name in names
        ]
        audit.record_many(kind, entries, acting_user=acting_user)
    return summary


def _stored_people(numbers: list[str]) -> dict[str, dict]:
    """The stored values of the people with these numbers, as plain dicts (a
    model instance each would cost more than the rest of an unchanged re-import)."""
    people = Person.objects.order_by().values("pk", "number", *PERSON_FIELDS)
    found = {}
    # In slices: SQLite's default limit is 999 parameters a query.
    for start in range(0, len(numbers), QUERY_SLICE):
        for person in people.filter(number__in=numbers[start : start + QUERY_SLICE]):
            found[person["number"]] = person
    return found


def _stated_values(
    row: RosterRow,
    units: dict[str, int],
    branches: dict[str, int],
    dorms: dict[tuple[str, str], int],
    classes: dict[str, AdminClass],
) -> dict:
    """The model values of what the row states (a blank cell states nothing)."""
    values = {
        "name": row.name,
        "kind": row.kind,
        "gender": row.gender,
        "mobile": row.mobile,
        "political_status": row.political_status,
        "grade": row.grade,
        "programme": row.programme,
        "degree_level": row.degree_level,
        "graduating": row.graduating,
        "status": row.status,
        "wecom_userid": row.wecom_userid,
        "dingtalk_userid": row.dingtalk_userid,
        "unit_id": units[row.unit] if row.unit else None,
        "branch_id": branches[row.branch] if row.branch else None,
        "dorm_room_id": dorms[row.dorm.key] if row.dorm is not None else None,
        "admin_class_id": classes[row.admin_class].pk if row.admin_class else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def _ensure_dorm_rooms(wanted: list[Dorm]) -> dict[tuple[str, str], int]:
    """Every room the rows name, created where new, by (building, number); a
    stored room without a floor gets the one the file gives."""
    by_key = {dorm.key: dorm for dorm in wanted}
    known = {
        (building, number): (pk, floor)
        for pk, building, number, floor in DormRoom.objects.values_list(
            "pk", "building", "number", "floor"
        )
    }
    missing = [
        DormRoom(building=dorm.building, number=dorm.number, floor=dorm.floor)
        for key, dorm in sorted(by_key.items())
        if key not in known
    ]
    DormRoom.objects.bulk_create(missing, batch_size=BATCH)
    floorless = [
        DormRoom(pk=pk, floor=by_key[key].floor)
        for key, (pk, floor) in known.items()
        if key in by_key and floor is None and by_key[key].floor is not None
    ]
    DormRoom.objects.bulk_update(floorless, ["floor"], batch_size=BATCH)
    # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+, but not everywhere.
    return dict(
        ((building, number), pk)
        for pk, building, number in DormRoom.objects.values_list("pk", "building", "number")
    )


def _ensure_classes(rows: list[RosterRow]) -> tuple[dict[str, AdminClass], set[str]]:
    """Every class the rows name, created (without a counsellor yet) where new."""
    names = {row.admin_class for row in rows if row.admin_class}
    classes = {c.name: c for c in AdminClass.objects.filter(name__in=names)}
    missing = sorted(names - classes.keys())
    AdminClass.objects.bulk_create([AdminClass(name=name) for name in missing], batch_size=BATCH)
    if missing:
        classes.update({c.name: c for c in AdminClass.objects.filter(name__in=missing)})
    return classes, set(missing)


def _update_classes(
    rows: list[RosterRow], classes: dict[str, AdminClass]
) -> dict[str, dict[str, list]]:
    """Set each class's grade, programme, level, unit and counsellor from the
    first row of the class that states each; returns the changes by class name."""
    counsellor_numbers = {row.counsellor for row in rows if row.counsellor}
    # The check refused other counsellors; this holds even if the people changed since.
    counsellors = dict(
        Person.objects.filter(number__in=counsellor_numbers)
        .filter(may_counsel_q())
        .values_list("number", "pk")
    )
    units = dict(Unit.objects.values_list("name", "pk"))
    stated: dict[str, dict] = {}
    for row in rows:
        if not row.admin_class:
            continue
        first = stated.setdefault(row.admin_class, {})
        for key, value in (
            ("grade", row.grade),
            ("programme", row.programme),
            ("degree_level", row.degree_level),
            ("unit_id", units.get(row.unit)),
            ("counsellor_id", counsellors.get(row.counsellor)),
        ):
            if value not in (None, ""):
                first.setdefault(key, value)
    changes = {}
    for name, values in stated.items():
        admin_class = classes[name]
        diff = {
            key: [getattr(admin_class, key), value]
            for key, value in values.items()
            if getattr(admin_class, key) != value
        }
        if diff:
            for key, (_before, value) in diff.items():
                setattr(admin_class, key, value)
            changes[name] = diff
    changed = [classes[name] for name in changes]
    if changed:
        AdminClass.objects.bulk_update(changed, list(CLASS_FIELDS), batch_size=BATCH)
    return changes


def may_counsel_q() -> Q:
    """People who may counsel a class: teachers, staff and marked assistant counsellors."""
    return ~Q(kind=Person.Kind.STUDENT) | Q(assistant_counsellor=True)


# A unit's kind, guessed from how its name ends: 会计学院 is a college, 财务处 an office.
_OFFICE_ENDINGS = ("处", "办", "办公室", "中心", "馆", "部", "室", "委", "会")


def unit_kind_for(name: str, parent: Unit | None) -> str:
    if name.endswith("学院") or name.endswith("书院"):
        return Unit.Kind.COLLEGE
    if name.endswith("大学") and parent is None:
        return Unit.Kind.UNIVERSITY
    if name.endswith(_OFFICE_ENDINGS):
        return Unit.Kind.OFFICE
    return Unit.Kind.DEPARTMENT


@transaction.atomic
def create_units(
    names: Iterable[str], *, parent: Unit | None, acting_user: User | None
) -> list[Unit]:
    """Create the units a roster names that do not exist yet, under `parent`
    (their kind guessed from the name, e.g. 会计学院 a college); returns those created."""
    wanted = sorted({name.strip() for name in names if name.strip()})
    existing = set(Unit.objects.filter(name__in=wanted).values_list("name", flat=True))
    created = []
    for name in wanted:
        if name in existing:
            continue
        unit = Unit(name=name, kind=unit_kind_for(name, parent), parent=parent)
        unit.full_clean()
        unit.save()
        created.append(unit)
        audit.record(
            PeopleEvent.UNIT_CREATED,
            unit,
            acting_user=acting_user,
            parent=parent.name if parent else None,
        )
    return created


@transaction.atomic
def set_assistant_counsellor(
    person: Person, value: bool, *, acting_user: User, request: HttpRequest | None = None
) -> int:
    """Mark a student an assistant counsellor (兼职辅导员), who may then counsel a
    class, or unmark them; unmarking takes them off the classes they counsel.
    Returns how many classes lost their counsellor."""
    if value and person.kind != Person.Kind.STUDENT:
        raise ValidationError(
            _("%(person)s is not a student: teachers and staff may counsel a class anyway.")
            % {"person": person}
        )
    released = []
    if not value:
        released = list(AdminClass.objects.filter(counsellor=person))
        AdminClass.objects.filter(pk__in=[c.pk for c in released]).update(counsellor=None)
    changes = {}
    if person.assistant_counsellor != value:
        changes["assistant_counsellor"] = [person.assistant_counsellor, value]
        person.assistant_counsellor = value
        person.save(update_fields=["assistant_counsellor"])
    audit.record(
        PeopleEvent.ASSISTANT_COUNSELLOR_MARKED
        if value
        else PeopleEvent.ASSISTANT_COUNSELLOR_UNMARKED,
        person,
        acting_user=acting_user,
        request=request,
        changes=changes,
        classes_released=len(released),
    )
    audit.record_many(
        PeopleEvent.CLASS_CHANGED,
        [(c, {"changes": {"counsellor": [person.number, None]}}) for c in released],
        acting_user=acting_user,
        request=request,
    )
    return len(released)


@transaction.atomic
def set_class_counsellor(
    admin_class: AdminClass,
    counsellor: Person | None,
    *,
    acting_user: User,
    request: HttpRequest | None = None,
) -> None:
    """Make `counsellor` the class's counsellor (None: nobody); only a teacher,
    a staff member or a marked assistant counsellor may be one."""
    if counsellor is not None and not counsellor.may_counsel:
        raise ValidationError(counsellor_refusal(counsellor))
    before = admin_class.counsellor
    admin_class.counsellor = counsellor
    admin_class.save(update_fields=["counsellor"])
    number = counsellor.number if counsellor else None
    audit.record(
        PeopleEvent.COUNSELLOR_SET,
        admin_class,
        acting_user=acting_user,
        request=request,
        counsellor=number,
        changes={"counsellor": [before.number if before else None, number]},
    )


# The kinds of entry of a change made to one person or class, by whether it was
# added, changed or deleted.
_ADDED = {Person: PeopleEvent.PERSON_CREATED, AdminClass: PeopleEvent.CLASS_CREATED}
_CHANGED = {Person: PeopleEvent.PERSON_CHANGED, AdminClass: PeopleEvent.CLASS_CHANGED}
_DELETED = {Person: PeopleEvent.PERSON_DELETED, AdminClass: PeopleEvent.CLASS_DELETED}


@transaction.atomic
def save_recorded(
    obj: Person | AdminClass, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Save a person or a class as edited by hand (in the admin), and record
    the fields that changed, the mobile number masked."""
    model = type(obj)
    stored = _stored_values(obj) if obj.pk else None
    obj.save()
    values = _stored_values(obj) or {}
    if stored is None:
        changes = {name: [None, value] for name, value in values.items() if value not in (None, "")}
        kind = _ADDED[model]
    else:
        changes = {n: [stored[n], value] for n, value in values.items() if stored[n] != value}
        kind = _CHANGED[model]
    if changes:
        audit.record(kind, obj, acting_user=acting_user, request=request, changes=_shown(changes))


def _stored_values(obj: Person | AdminClass) -> dict[str, Any] | None:
    """The row as stored, or None if it is not."""
    values = type(obj).objects.filter(pk=obj.pk).values().first()
    return dict(values) if values is not None else None


@transaction.atomic
def delete_recorded(
    obj: Person | AdminClass, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Delete a person or a class by hand (in the admin), recorded."""
    audit.record(_DELETED[type(obj)], obj, acting_user=acting_user, request=request)
    obj.delete()


def _shown(changes: dict[str, list]) -> dict[str, list]:
    """`changes` as the log keeps them: plain values, mobile numbers masked."""
    return {
        name: [_plain(value, masked=name == "mobile") for value in pair]
        for name, pair in changes.items()
        if name not in ("id", "name_pinyin", "name_initials")
    }


def _plain(value: Any, *, masked: bool = False) -> Any:
    if value in (None, ""):
        return value
    if masked:
        return mask_mobile(value)
    return value if isinstance(value, (str, int, float, bool)) else str(value)
