"""The records a counsellor's morning is made of, each written through its
app's own action where one exists: isolations and their meals, help
requests, lessons missed, graduates, approved leave."""

from __future__ import annotations

import datetime as dt

from shouwang.accounts.models import User
from shouwang.care import actions as care
from shouwang.care.models import Isolation, MealSlot
from shouwang.careers.models import Destination, Graduate
from shouwang.helpdesk import actions as helpdesk
from shouwang.helpdesk.models import HelpRequest
from shouwang.leave import actions as leave
from shouwang.leave.models import LeaveKind, LeaveRequest, LeaveStep
from shouwang.lib import clock
from shouwang.people.models import DormRoom, Person
from shouwang.teaching.models import Attendance, Lesson, TeachingClass, Term


def meal_slots() -> None:
    for name, hour in (("早餐", 7), ("午餐", 11), ("晚餐", 17)):
        MealSlot.objects.get_or_create(name=name, defaults={"time": dt.time(hour, 30)})


def isolate(person: Person, by: User, room_number: str) -> Isolation:
    """`person` isolated in their own room since yesterday, with today's meals."""
    room, _created = DormRoom.objects.get_or_create(building="C", number=room_number)
    isolation = care.place_in_isolation(
        person,
        dorm_room=room,
        reason="密接",
        started_at=clock.now() - dt.timedelta(days=1),
        planned_end=clock.today() + dt.timedelta(days=7),
        acting_user=by,
    )
    care.generate_deliveries(clock.today())
    return isolation


def ask_for_help(person: Person, by: User, *, hours_ago: int = 1) -> HelpRequest:
    """A normal-urgency request; 30 hours old, it is overdue (no answer within 24 hours)."""
    help_request = helpdesk.submit(
        requester=person,
        category=HelpRequest.Category.LIVING,
        urgency=HelpRequest.Urgency.NORMAL,
        description=f"{person.name}的宿舍没有热水",
        acting_user=by,
    )
    created = clock.now() - dt.timedelta(hours=hours_ago)
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=created)
    return help_request


def absent_twice(students: list[Person], monday: dt.date) -> None:
    """Each of `students` absent from two lessons of the week from `monday`."""
    term, _created = Term.objects.get_or_create(
        name="2021-2022-2", defaults={"first_monday": dt.date(2022, 2, 28), "weeks": 18}
    )
    course = TeachingClass.objects.create(
        term=term,
        code=f"数据库原理-{TeachingClass.objects.count() + 1:02d}",
        course_code="B0101234",
        course_name="数据库原理",
    )
    lessons = [
        Lesson.objects.create(teaching_class=course, date=day, first_period=3, last_period=4)
        for day in (monday, monday + dt.timedelta(days=1))
    ]
    Attendance.objects.bulk_create(
        Attendance(lesson=lesson, student=student, status="absent", source="marked")
        for lesson in lessons
        for student in students
    )


def graduate(person: Person, cohort: int = 2022, *, placed: bool = False) -> Graduate:
    destination = Destination.AGREEMENT if placed else Destination.SEEKING
    return Graduate.objects.create(person=person, cohort=cohort, destination=destination)


def approved_leave(person: Person, by: User, approver: User) -> LeaveRequest:
    """Two days' sick leave from an hour ago, approved by the counsellor."""
    kind, created = LeaveKind.objects.get_or_create(
        name="病假", defaults={"needs_destination": False, "position": 1}
    )
    if created:
        kind.steps.create(position=1, approver="counsellor")
    start = clock.now() - dt.timedelta(hours=1)
    request = leave.submit(
        LeaveRequest(
            person=person,
            kind=kind,
            starts_at=start,
            ends_at=start + dt.timedelta(days=2),
            reason="发烧就医",
            contact_name="家长",
            contact_phone="13800000000",
        ),
        acting_user=by,
    )
    return leave.decide(request, LeaveStep.Event.APPROVED, acting_user=approver)
