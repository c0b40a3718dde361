"""Roster workflows: check a file, then commit its valid rows in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shouwang.core.audit import audit_action

from .models import AdminClass, Branch, DormRoom, Person, RosterImport, Unit
from .roster import RosterCheck, RosterRow

PERSON_FIELDS = (
    "name", "kind", "gender", "mobile", "political_status", "unit_id", "grade", "programme",
    "degree_level", "admin_class_id", "dorm_room_id", "branch_id", "graduating", "status",
)
CLASS_FIELDS = ("grade", "programme", "degree_level", "unit_id", "counsellor_id")
BATCH = 1000


def record_check(roster_import: RosterImport, check: RosterCheck) -> None:
    """Keep a check's preview (counts and row errors) on the import."""
    roster_import.total_rows = check.total
    roster_import.processed_rows = check.total
    roster_import.valid_rows = len(check.rows)
    roster_import.invalid_rows = check.invalid_count
    roster_import.errors = [error.as_dict() for error in check.errors]
    roster_import.status = RosterImport.Status.CHECKED
    roster_import.save(update_fields=[
        "total_rows", "processed_rows", "valid_rows", "invalid_rows", "errors", "status",
    ])


@transaction.atomic
def commit_roster(roster_import: RosterImport, check: RosterCheck, *, acting_user) -> dict[str, int]:
    """Create or update, by number, every valid row of a checked roster.

    All or nothing: one transaction. A row identical to what is stored is not
    written, so importing the same file twice changes nothing the second time.
    """
    rows = check.rows
    units = dict(Unit.objects.values_list("name", "pk"))
    branches = dict(Branch.objects.values_list("name", "pk"))
    dorms = _ensure_dorm_rooms({row.dorm_room for row in rows if row.dorm_room})
    classes, classes_created = _ensure_classes(rows)

    existing = {person.number: person for person in Person.objects.only(
        "number", *(name.removesuffix("_id") for name in PERSON_FIELDS)
    )}
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        values = {
            "name": row.name, "kind": row.kind, "gender": row.gender, "mobile": row.mobile,
            "political_status": row.political_status, "unit_id": units.get(row.unit),
            "grade": row.grade, "programme": row.programme, "degree_level": row.degree_level,
            "admin_class_id": classes[row.admin_class].pk if row.admin_class else None,
            "dorm_room_id": dorms.get(row.dorm_room), "branch_id": branches.get(row.branch),
            "graduating": row.graduating, "status": row.status,
        }
        person = existing.get(row.number)
        if person is None:
            person = Person(number=row.number, **values)
            person.refresh_pinyin()
            to_create.append(person)
            continue
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        if changed:
            for name in changed:
                setattr(person, name, values[name])
            if "name" in changed:
                person.refresh_pinyin()
                changed += ["name_pinyin", "name_initials"]
            changed_fields.update(changed)
            to_update.append(person)
    Person.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        Person.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH)
    classes_updated = _update_classes(rows, classes)

    summary = {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(rows) - len(to_create) - len(to_update),
        "classes_created": classes_created,
        "classes_updated": classes_updated,
    }
    roster_import.summary = summary
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.committed_at = timezone.now()
    roster_import.save(update_fields=["summary", "status", "committed_at"])
    audit_action(acting_user, roster_import, "roster_commit", **summary)
    return summary


def _ensure_dorm_rooms(labels: set[str]) -> dict[str, int]:
    known = {str(room): room.pk for room in DormRoom.objects.all()}
    missing = [DormRoom(building=b, number=n) for b, n in map(DormRoom.split_label, labels - known.keys())]
    DormRoom.objects.bulk_create(missing, batch_size=BATCH)
    known.update({str(room): room.pk for room in missing})
    return known


def _ensure_classes(rows: list[RosterRow]) -> tuple[dict[str, AdminClass], int]:
    """Every class the rows name, created (without a counsellor yet) where new."""
    names = {row.admin_class for row in rows if row.admin_class}
    classes = {c.name: c for c in AdminClass.objects.filter(name__in=names)}
    missing = [AdminClass(name=name) for name in sorted(names - classes.keys())]
    AdminClass.objects.bulk_create(missing, batch_size=BATCH)
    classes.update({c.name: c for c in missing})
    return classes, len(missing)


def _update_classes(rows: list[RosterRow], classes: dict[str, AdminClass]) -> int:
    """Set each class's grade, programme, level, unit and counsellor from its first
    student row; only what the file states, and only where it differs."""
    counsellor_numbers = {row.counsellor for row in rows if row.counsellor}
    counsellors = dict(Person.objects.filter(number__in=counsellor_numbers).values_list("number", "pk"))
    units = dict(Unit.objects.values_list("name", "pk"))
    first: dict[str, RosterRow] = {}
    for row in rows:
        if row.admin_class:
            first.setdefault(row.admin_class, row)
    changed = []
    for name, row in first.items():
        admin_class = classes[name]
        stated = {
            "grade": row.grade, "programme": row.programme, "degree_level": row.degree_level,
            "unit_id": units.get(row.unit), "counsellor_id": counsellors.get(row.counsellor),
        }
        diff = {k: v for k, v in stated.items() if v not in (None, "") and getattr(admin_class, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(admin_class, key, value)
            changed.append(admin_class)
    if changed:
        AdminClass.objects.bulk_update(changed, list(CLASS_FIELDS), batch_size=BATCH)
    return len(changed)
