"""The cockpit tests' college: the shared personas' college (A, the leader
persona's) and a second one (B, leader_b's) under the same university, with a
few rows of every module on the days around 4月12日 (the check-in tests'
Tuesday), written straight to the database so that each test knows what it
must count. B's rows are there to be left out by A's leader.

What A's leader must see on 4月12日 (and the days before), by module:

- check-ins: 9 expected, 3 checked in, 6 missing (4月11日: 5 checked in);
- screening: 2 flags raised (1 still open); 4月11日: 1 raised, still open;
- care: student A in isolation (the volunteer was, 4月9日 to 4月11日 10:00);
  2 meals today (1 delivered), 3 on 4月11日 (2 delivered, 1 missed);
- helpdesk: 2 open, 1 overdue; at the end of 4月10日 2 open, 1 overdue; of
  4月11日 1 open, 1 overdue;
- teaching: 2 lessons held (a third not yet), attendance 3 of 4 (75 %);
  4月11日 1 held, 2 of 2 (100 %);
- work plan: 1 measure late (2 at the end of 4月10日, 1 of 4月9日);
- supplies: 1 item below its minimum (2 at the end of 4月11日, 1 of 4月10日,
  2 of 4月9日);
- duty roster: 1 on site, 1 working remotely (4月11日: 1 on site).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from shouwang.care.models import Isolation, IsolationRoom, MealDelivery, MealSlot
from shouwang.checkins.tests.base import TODAY, YESTERDAY, check_in
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import AdminClass, Person, Unit
from shouwang.screening.models import Flag
from shouwang.supplies import actions as supplies
from shouwang.supplies.models import Category, Item, MinimumLevel, Store
from shouwang.teaching.models import Attendance, Lesson, TeachingClass, Term
from shouwang.test import make_person
from shouwang.volunteers.models import DutyDay
from shouwang.workplan.models import Area, KeyPoint, Measure, Milestone, Plan, Status

H = HelpRequest.Status
A = Attendance.Status


class CockpitData:
    """What `populate` names."""

    isolated_a: Isolation
    isolated_c: Isolation
    missed_meal: MealDelivery
    open_request: HelpRequest
    overdue_request: HelpRequest
    work_plan: Plan
    late_measure: Measure
    store: Store
    sanitizer: Item
    suits: Item


def april(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


def populate(case: Any) -> None:
    """Every module's rows of both colleges (the module docstring's figures)."""
    case.create_other_college()
    case.incident.units.add(case.college_b)
    _checkins(case)
    _flags(case)
    _care(case)
    _helpdesk(case)
    _teaching(case)
    _workplan(case)
    _supplies(case)
    _duty(case)


def _checkins(case: Any) -> None:
    for person in (case.student_a, case.student_b, case.counsellor_a):
        check_in(person, case.incident)
    for person in (
        case.student_a,
        case.student_b,
        case.volunteer_person,
        case.counsellor_a,
        case.counsellor_b,
    ):
        check_in(person, case.incident, YESTERDAY)
    check_in(case.student_c, case.incident)


def _flags(case: Any) -> None:
    Flag.objects.create(
        person=case.student_a, incident=case.incident, date=TODAY, reason=Flag.Reason.SYMPTOMS
    )
    Flag.objects.create(
        person=case.student_b,
        incident=case.incident,
        date=TODAY,
        reason=Flag.Reason.FEVER,
        resolved_at=april(12, 8, 30),
    )
    Flag.objects.create(
        person=case.volunteer_person,
        incident=case.incident,
        date=YESTERDAY,
        reason=Flag.Reason.CONTACT,
    )
    Flag.objects.create(
        person=case.student_c, incident=case.incident, date=TODAY, reason=Flag.Reason.FEVER
    )


def _care(case: Any) -> None:
    room = IsolationRoom.objects.create(building="隔离楼", number="101", capacity=2)
    case.isolated_a = Isolation.objects.create(
        person=case.student_a,
        dorm_room=case.room,
        reason="密切接触",
        started_at=april(10, 8),
        planned_end=dt.date(2022, 4, 17),
    )
    Isolation.objects.create(
        person=case.volunteer_person,
        room=room,
        reason="密切接触",
        started_at=april(9, 8),
        planned_end=dt.date(2022, 4, 16),
        ended_at=april(11, 10),
    )
    case.isolated_c = Isolation.objects.create(
        person=case.student_c,
        room=room,
        reason="发热观察",
        started_at=april(11, 8),
        planned_end=dt.date(2022, 4, 18),
    )
    slots = [
        MealSlot.objects.create(name=name, time=dt.time(hour, 30))
        for name, hour in (("早餐", 7), ("午餐", 11), ("晚餐", 17))
    ]

    def meal(isolation: Isolation, day: dt.date, slot: MealSlot, status: str) -> MealDelivery:
        return MealDelivery.objects.create(
            isolation=isolation,
            slot=slot,
            date=day,
            due_at=beijing(day.year, day.month, day.day, slot.time.hour, slot.time.minute),
            building="B",
            floor=3,
            room="312",
            status=status,
        )

    S = MealDelivery.Status
    case.missed_meal = meal(case.isolated_a, YESTERDAY, slots[0], S.MISSED)
    meal(case.isolated_a, YESTERDAY, slots[1], S.DELIVERED)
    meal(case.isolated_a, YESTERDAY, slots[2], S.DELIVERED)
    meal(case.isolated_a, TODAY, slots[0], S.DELIVERED)
    meal(case.isolated_a, TODAY, slots[1], S.PENDING)
    meal(case.isolated_c, TODAY, slots[0], S.MISSED)


def _request(person: Person, created_at: dt.datetime, status: str, **times: Any) -> HelpRequest:
    return HelpRequest.objects.create(
        requester=person,
        category=HelpRequest.Category.STUDY,
        description="笔记本电脑坏了，上不了网课",
        status=status,
        created_at=created_at,
        **times,
    )


def _helpdesk(case: Any) -> None:
    # Open, within its day's limits.
    case.open_request = _request(case.student_a, april(12, 8), H.SUBMITTED)
    # Open since 4月9日, never answered: overdue from 4月10日 09:00.
    case.overdue_request = _request(case.student_b, april(9, 9), H.SUBMITTED)
    # Answered at once, resolved on 4月11日.
    _request(
        case.volunteer_person,
        april(9, 10),
        H.RESOLVED,
        first_response_at=april(9, 12),
        resolved_at=april(11, 10),
    )
    _request(case.student_c, april(9, 9), H.SUBMITTED)


def _teaching(case: Any) -> None:
    term = Term.objects.create(name="2021-2022-2", first_monday=dt.date(2022, 2, 28), weeks=18)

    def teaching_class(code: str, unit: Unit) -> TeachingClass:
        return TeachingClass.objects.create(
            term=term, code=code, course_code=code, course_name="数据库原理", unit=unit
        )

    def lesson(
        teaching_class: TeachingClass, day: dt.date, period: int, held: bool = True
    ) -> Lesson:
        return Lesson.objects.create(
            teaching_class=teaching_class,
            date=day,
            first_period=period,
            last_period=period + 1,
            online=True,
            status=Lesson.Status.HELD if held else Lesson.Status.SCHEDULED,
        )

    def attended(lesson: Lesson, *rows: tuple[Person, str]) -> None:
        for student, status in rows:
            Attendance.objects.create(
                lesson=lesson, student=student, status=status, source=Attendance.Source.MARKED
            )

    ours, theirs = (
        teaching_class("数据库原理-01", case.college),
        teaching_class("会计-01", case.college_b),
    )
    attended(lesson(ours, TODAY, 1), (case.student_a, A.PRESENT), (case.student_b, A.ABSENT))
    attended(lesson(ours, TODAY, 3), (case.student_a, A.LATE), (case.volunteer_person, A.PRESENT))
    lesson(ours, TODAY, 7, held=False)
    attended(lesson(ours, YESTERDAY, 1), (case.student_a, A.PRESENT), (case.student_b, A.PRESENT))
    attended(lesson(theirs, TODAY, 1), (case.student_c, A.ABSENT))


def _plan(unit: Unit, owner: Person, title: str) -> KeyPoint:
    plan = Plan.objects.create(title=title, year=2022, unit=unit)
    area = Area.objects.create(plan=plan, number=1, title="本科教育")
    return KeyPoint.objects.create(area=area, number=1, title="加强专业内涵建设")


def _measure(key_point: KeyPoint, number: int, owner: Person, **fields: Any) -> Measure:
    return Measure.objects.create(
        key_point=key_point,
        number=number,
        title=f"举措{number}",
        owner_unit=key_point.area.plan.unit,
        owner=owner,
        **fields,
    )


def _workplan(case: Any) -> None:
    ours = _plan(case.college, case.teacher_person, "2022年学院工作要点")
    case.work_plan = ours.area.plan
    # Late from 4月10日: its milestone of 4月9日 is not done.
    case.late_measure = _measure(ours, 1, case.teacher_person, status=Status.IN_PROGRESS)
    Milestone.objects.create(measure=case.late_measure, title="方案", due_on=dt.date(2022, 4, 9))
    # Late from 4月6日 until its milestone of 4月5日 was done on 4月11日.
    caught_up = _measure(ours, 2, case.teacher_person, status=Status.IN_PROGRESS)
    Milestone.objects.create(
        measure=caught_up, title="方案", due_on=dt.date(2022, 4, 5), done_on=dt.date(2022, 4, 11)
    )
    # Paused: never late.
    paused = _measure(ours, 3, case.teacher_person, status=Status.PAUSED)
    Milestone.objects.create(measure=paused, title="方案", due_on=dt.date(2022, 4, 1))
    # On time.
    on_time = _measure(ours, 4, case.teacher_person, status=Status.IN_PROGRESS)
    Milestone.objects.create(measure=on_time, title="方案", due_on=dt.date(2022, 5, 1))
    theirs = _plan(case.college_b, case.counsellor_c, "会计学院工作要点")
    late_b = _measure(theirs, 1, case.counsellor_c, status=Status.IN_PROGRESS)
    Milestone.objects.create(measure=late_b, title="方案", due_on=dt.date(2022, 4, 1))


def _item(name: str) -> Item:
    return Item.objects.create(name=name, category=Category.PROTECTIVE, base_unit="件")


def _supplies(case: Any) -> None:
    case.store = Store.objects.create(
        name="学院物资仓库", kind=Store.Kind.WAREHOUSE, unit=case.college
    )
    store_b = Store.objects.create(
        name="会计学院仓库", kind=Store.Kind.WAREHOUSE, unit=case.college_b
    )
    case.sanitizer, case.suits = _item("免洗手消毒液"), _item("防护服")
    MinimumLevel.objects.create(store=case.store, item=case.sanitizer, minimum=Decimal(10))
    MinimumLevel.objects.create(store=case.store, item=case.suits, minimum=Decimal(5))
    MinimumLevel.objects.create(store=store_b, item=case.suits, minimum=Decimal(5))
    leader = case.leader
    batch = supplies.receive(
        case.store, case.sanitizer, Decimal(20), acting_user=leader, source="采购", at=april(10, 10)
    )
    with clock.standing_at(april(11, 15)):
        supplies.write_off(case.store, batch, Decimal(15), cause="damaged", acting_user=leader)
    supplies.receive(
        case.store, case.suits, Decimal(3), acting_user=leader, source="采购", at=april(8, 10)
    )
    supplies.receive(
        case.store, case.suits, Decimal(10), acting_user=leader, source="采购", at=april(12, 8)
    )


def _duty(case: Any) -> None:
    on_site, remote = DutyDay.Mode.ON_SITE, DutyDay.Mode.REMOTE
    DutyDay.objects.create(person=case.counsellor_a, date=TODAY, mode=on_site)
    DutyDay.objects.create(person=case.teacher_person, date=TODAY, mode=remote)
    DutyDay.objects.create(person=case.counsellor_a, date=YESTERDAY, mode=on_site)
    DutyDay.objects.create(person=case.counsellor_c, date=TODAY, mode=on_site)


def grow(case: Any, people: int, tag: str) -> None:
    """`people` more students in a class of their own in A, each with a
    day's check-in, a flag, a help request, an attendance row, an isolation
    and its meals (every third), and a member of staff on duty: every
    module's rows grow with the people."""
    admin_class = AdminClass.objects.create(
        name=f"新班{tag}", unit=case.college, counsellor=case.counsellor_b
    )
    lesson = Lesson.objects.filter(date=TODAY, status=Lesson.Status.HELD)[0]
    slot = MealSlot.objects.all()[0]
    room = IsolationRoom.objects.all()[0]
    for n in range(people):
        person = make_person(
            f"G{tag}{n:04d}", f"学生{tag}{n}", unit=case.college, admin_class=admin_class
        )
        check_in(person, case.incident, YESTERDAY)
        Flag.objects.create(
            person=person, incident=case.incident, date=YESTERDAY, reason=Flag.Reason.FEVER
        )
        _request(person, april(10, 9), H.SUBMITTED)
        Attendance.objects.create(
            lesson=lesson, student=person, status=A.PRESENT, source=Attendance.Source.IMPORTED
        )
        if n % 3 == 0:
            isolation = Isolation.objects.create(
                person=person,
                room=room,
                reason="密切接触",
                started_at=april(10, 8),
                planned_end=dt.date(2022, 4, 17),
            )
            MealDelivery.objects.create(
                isolation=isolation,
                slot=slot,
                date=YESTERDAY,
                due_at=april(11, 7, 30),
                building="隔离楼",
                floor=1,
                room="101",
            )
        staff = make_person(f"H{tag}{n:04d}", f"教工{tag}{n}", Person.Kind.STAFF, unit=case.college)
        DutyDay.objects.create(person=staff, date=TODAY, mode=DutyDay.Mode.ON_SITE)
    key_point = KeyPoint.objects.filter(area__plan__unit=case.college)[0]
    _measure(key_point, 100 + people, case.teacher_person, status=Status.IN_PROGRESS)
    MinimumLevel.objects.create(store=case.store, item=_item(f"物资{tag}"), minimum=Decimal(1))
