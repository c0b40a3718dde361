"""Who sees which teaching class, lesson, attendance and observation.

A teacher sees the classes they teach, with their students' attendance; a
student the classes they are enrolled in and their own attendance; a
counsellor the attendance of their own classes' students; a supervisor the
lessons they are assigned to observe; the leaders of a unit, and the teaching
office of a college, every teaching class the units under them offer; admins
everything. Anyone else gets 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.core.importing import ImportRecord
from shouwang.people.access import overseen_q
from shouwang.people.models import Person, Unit

from .models import Attendance, AttendanceImport, Enrolment, Lesson, Observation, TeachingClass

if TYPE_CHECKING:
    from shouwang.accounts.models import User

NOTHING = Q(pk__in=[])

R = TypeVar("R", bound=ImportRecord)


def overseen_unit_ids(user: User) -> frozenset[int] | None:
    """The units whose teaching this user oversees, with everything below them:
    None (all) for an admin; a leader's reach; for the teaching office, the
    college (or university) their unit belongs to."""
    if user.reaches_all:
        return None
    units = set(user.reach_unit_ids or ())
    if user.has_role(Role.TEACHING_OFFICE) and user.person and user.person.unit_id:
        parents = user.unit_tree
        kinds = dict(Unit.objects.order_by().values_list("pk", "kind"))
        current: int | None = user.person.unit_id
        while current is not None and kinds.get(current) not in (
            Unit.Kind.COLLEGE,
            Unit.Kind.UNIVERSITY,
        ):
            current = parents.get(current)
        units |= Unit.subtree_ids([current or user.person.unit_id], parents)
    return frozenset(units)


def oversees_teaching(user: User) -> bool:
    """Leaders, the teaching office and admins: the pages over many classes."""
    return user.has_role(Role.LEADER, Role.ADMIN, Role.TEACHING_OFFICE)


def overseen_classes_q(user: User, path: str = "") -> Q:
    units = overseen_unit_ids(user)
    if units is None:
        # Not Q(): an empty Q drops out of an OR (`teaches_q(user) | Q()` is
        # only `teaches_q(user)`), where "every class" must win.
        return Q(**{f"{path}pk__isnull": False})
    return Q(**{f"{path}unit_id__in": units}) if units else NOTHING


def teaches_q(user: User) -> Q:
    """The classes a user teaches, as a condition on a teaching class."""
    if not user.person_id:
        return NOTHING
    through = TeachingClass.teachers.through.objects.filter(
        teachingclass_id=OuterRef("pk"), person_id=user.person_id
    )
    return Q(Exists(through))


def managed_classes(user: User) -> QuerySet[TeachingClass]:
    """The classes a user runs: their own as a teacher, and those they oversee."""
    return TeachingClass.objects.filter(teaches_q(user) | overseen_classes_q(user))


def classes_for_user(user: User) -> QuerySet[TeachingClass]:
    """The classes a user may open: managed ones, and those they are enrolled in."""
    seen = teaches_q(user) | overseen_classes_q(user)
    if user.person_id:
        enrolled = Enrolment.objects.filter(
            teaching_class_id=OuterRef("pk"), student_id=user.person_id
        )
        seen |= Q(Exists(enrolled))
    return TeachingClass.objects.filter(seen)


def can_manage_class(user: User, teaching_class: TeachingClass) -> bool:
    return managed_classes(user).filter(pk=teaching_class.pk).exists()


def get_class_for_user(request: AuthedRequest, pk: int) -> TeachingClass:
    return get_object_or_404(classes_for_user(request.user).select_related("term", "unit"), pk=pk)


def get_managed_class(request: AuthedRequest, pk: int) -> TeachingClass:
    """A class the user runs; 403 to a student of it, 404 to anyone else."""
    teaching_class = get_class_for_user(request, pk)
    if not can_manage_class(request.user, teaching_class):
        raise PermissionDenied
    return teaching_class


def lessons_for_user(user: User) -> QuerySet[Lesson]:
    """The lessons of the classes a user may open, and those they observe."""
    classes = classes_for_user(user).values("pk")
    seen = Q(teaching_class__in=classes)
    if user.person_id:
        observing = Observation.objects.filter(
            lesson_id=OuterRef("pk"), supervisor_id=user.person_id
        )
        seen |= Q(Exists(observing))
    return Lesson.objects.filter(seen)


def get_lesson_for_user(request: AuthedRequest, pk: int) -> Lesson:
    return get_object_or_404(
        lessons_for_user(request.user).select_related("teaching_class__term"), pk=pk
    )


def get_managed_lesson(request: AuthedRequest, pk: int) -> Lesson:
    """A lesson of a class the user runs; 403 to its students and observers."""
    lesson = get_lesson_for_user(request, pk)
    if not can_manage_class(request.user, lesson.teaching_class):
        raise PermissionDenied
    return lesson


def attendance_for_user(user: User) -> QuerySet[Attendance]:
    """Attendance rows: of the classes a user runs, of the students they
    look after (a counsellor's classes, a leader's units), and their own."""
    looked_after = overseen_q(user, "student__")
    if looked_after is None:
        return Attendance.objects.all()
    seen = Q(lesson__teaching_class__in=managed_classes(user).values("pk")) | looked_after
    if user.person_id:
        seen |= Q(student_id=user.person_id)
    return Attendance.objects.filter(seen)


def follows_students(user: User) -> bool:
    """Counsellors, leaders and admins: the pages over the students they look after."""
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def followed_students(request: AuthedRequest) -> QuerySet[Person]:
    """The students a counsellor or leader looks after (their absences, their
    readiness); 403 to anyone else."""
    if not follows_students(request.user):
        raise PermissionDenied
    scope = overseen_q(request.user)
    students = Person.objects.filter(kind=Person.Kind.STUDENT)
    return students if scope is None else students.filter(scope)


def get_student_for_attendance(request: AuthedRequest, pk: int) -> Person:
    """A student whose attendance the user may read: one they look after, one
    enrolled in a class they run, or themselves; 404 otherwise."""
    user = request.user
    scope = overseen_q(user)
    if scope is None:
        return get_object_or_404(Person, pk=pk)
    taught = Enrolment.objects.filter(
        student_id=OuterRef("pk"), teaching_class__in=managed_classes(user).values("pk")
    )
    scope |= Q(Exists(taught))
    if user.person_id:
        scope |= Q(pk=user.person_id)
    return get_object_or_404(Person.objects.filter(scope), pk=pk)


def get_managed_attendance_import(request: AuthedRequest, pk: int) -> AttendanceImport:
    """An attendance import of a lesson the user runs: 403 to the lesson's
    students and observers, 404 to anyone else."""
    item = get_object_or_404(
        AttendanceImport.objects.filter(
            lesson__in=lessons_for_user(request.user).values("pk")
        ).select_related("lesson__teaching_class"),
        pk=pk,
    )
    if not can_manage_class(request.user, item.lesson.teaching_class):
        raise PermissionDenied
    return item


def observations_for_user(user: User) -> QuerySet[Observation]:
    """A supervisor's own; the done ones of a teacher's lessons; all those of
    the classes a leader or the teaching office oversees."""
    seen = Q(lesson__teaching_class__in=TeachingClass.objects.filter(overseen_classes_q(user)))
    if not oversees_teaching(user):
        seen = NOTHING
    if user.person_id:
        seen |= Q(supervisor_id=user.person_id)
        taught = TeachingClass.objects.filter(teaches_q(user)).values("pk")
        seen |= Q(lesson__teaching_class__in=taught, observed_at__isnull=False)
    return Observation.objects.filter(seen)


def get_observation_for_user(request: AuthedRequest, pk: int) -> Observation:
    return get_object_or_404(
        observations_for_user(request.user).select_related("lesson__teaching_class", "supervisor"),
        pk=pk,
    )


def require_teaching_overseer(request: AuthedRequest) -> None:
    """Terms, the calendar and the imports: leaders, the teaching office and
    admins; anyone else logged in gets 403."""
    if not oversees_teaching(request.user):
        raise PermissionDenied


def imports_for_user(model: type[R], user: User) -> QuerySet[R]:
    """Timetable or enrolment imports: an admin's, all; an overseer's, their own."""
    if user.reaches_all:
        return model._default_manager.all()
    if oversees_teaching(user):
        return model._default_manager.filter(uploaded_by=user)
    return model._default_manager.none()


def get_import_for_user(request: AuthedRequest, model: type[R], pk: int) -> R:
    return get_object_or_404(imports_for_user(model, request.user).select_related("term"), pk=pk)


def writable_classes(user: User | None, term_id: int) -> QuerySet[TeachingClass]:
    """The classes of a term whose enrolment `user` may import: those of the
    units they oversee (the uploader of a file; none if it has no uploader)."""
    if user is None:
        return TeachingClass.objects.none()
    return TeachingClass.objects.filter(overseen_classes_q(user), term_id=term_id)
