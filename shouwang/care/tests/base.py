"""The care tests' college: the shared personas, a meal plan of three slots,
building B carried by 春蕾 (the volunteer leads it), an isolation room, and
student A isolated in their own room B-312 since yesterday."""

import datetime as dt

from shouwang.accounts.models import User
from shouwang.care import actions
from shouwang.care.models import BuildingTeam, Isolation, IsolationRoom, MealDelivery, MealSlot
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, Personas
from shouwang.volunteers.models import Membership, Team

DAY = dt.date(2022, 4, 15)


def april(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


# 4月15日 09:00: breakfast was due at 07:30, lunch is due at 11:30.
NOW = april(15, 9)


class CarePlan(Personas):
    """What make_plan sets, and what the care tests add."""

    breakfast: MealSlot
    lunch: MealSlot
    supper: MealSlot
    team: Team
    isolation_room: IsolationRoom
    isolation: Isolation
    delivery: MealDelivery
    lunch_delivery: MealDelivery
    other_user: User
    other_person: Person


def make_plan(case) -> None:
    case.breakfast = MealSlot.objects.create(
        name="早餐", time=dt.time(7, 30), drop_point="一楼大厅"
    )
    case.lunch = MealSlot.objects.create(name="午餐", time=dt.time(11, 30), drop_point="一楼大厅")
    case.supper = MealSlot.objects.create(name="晚餐", time=dt.time(17, 30), drop_point="一楼大厅")
    case.team = Team.objects.create(name="春蕾工程志愿服务队", kind=Team.Kind.BRIGADE)
    Membership.objects.create(team=case.team, person=case.volunteer_person, is_lead=True)
    BuildingTeam.objects.create(building="B", team=case.team)
    case.isolation_room = IsolationRoom.objects.create(building="隔离楼", number="101", capacity=1)


def isolate(case, person, **fields):
    values = {
        "dorm_room": person.dorm_room,
        "reason": "同楼层有阳性病例，密切接触",
        "dietary_note": "清真",
        "started_at": april(14, 8),
        "planned_end": dt.date(2022, 4, 21),
        "acting_user": case.counsellor_a_user,
        **fields,
    }
    return actions.place_in_isolation(person, **values)


class CareTestCase(CarePlan, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_plan(cls)
        cls.isolation = isolate(cls, cls.student_a)
