"""A small college of its own for the chronicle's figures, and a second one
beside it in the same database.

经济学院 of 河东大学 (two departments and an office) weathered a flood, 暴雨内涝,
from 2023-07-10 to 2023-07-16; 法学院 next door had its own. Each module's
records are made as its own tests make them (models, or the app's actions
where they keep a ledger), with records just outside the period, of people
who left, and of 法学院, so that a figure counting too much shows it. The
comments give what each figure must come to; `test_figures` checks them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from shouwang.accounts.models import Role, User
from shouwang.activities.models import Activity, Award, Entry, ExternalAward, Prize
from shouwang.activities.models import SignUp as ActivitySignUp
from shouwang.care.models import Isolation, IsolationRoom, MealDelivery, MealSlot
from shouwang.careers.models import Employer, FairEmployer, JobFair, Participation
from shouwang.checkins.models import CheckIn, Location
from shouwang.helpdesk.models import HelpRequest
from shouwang.incidents.models import Incident, Meeting
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import AdminClass, Person, Unit
from shouwang.supplies import actions as supplies
from shouwang.supplies.models import Category, Donation, Donor, Item, ItemUnit, Store
from shouwang.teaching.models import Enrolment, Lesson, TeachingClass, Term
from shouwang.test import make_person, make_user
from shouwang.volunteers.models import DutyDay, ServiceReport, Shift, SignUp, Team
from shouwang.workplan.models import Area, KeyPoint, Measure, Plan

FIRST, LAST = dt.date(2023, 7, 10), dt.date(2023, 7, 16)
P = Person.PoliticalStatus


def july(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return beijing(2023, 7, day, hour, minute)


def day(number: int) -> dt.date:
    return dt.date(2023, 7, number)


class College:
    """The people and records of one college, by the names the test uses."""

    def __init__(self, name: str, university: Unit, departments: list[str], office: str):
        self.unit = Unit.objects.create(name=name, kind=Unit.Kind.COLLEGE, parent=university)
        self.departments = [
            Unit.objects.create(name=dept, kind=Unit.Kind.DEPARTMENT, parent=self.unit)
            for dept in departments
        ]
        self.office = Unit.objects.create(name=office, kind=Unit.Kind.OFFICE, parent=self.unit)
        self.people: dict[str, Person] = {}

    def person(self, key: str, number: str, name: str, kind: str, **fields: Any) -> Person:
        self.people[key] = make_person(number, name, kind, **fields)
        return self.people[key]


def build_economics(university: Unit) -> College:
    """经济学院: teachers t1–t4 (t5 left), staff st1 (its leader, of the college's
    own unit) and st2,
    students s1–s8 (s9 graduated); s5–s8 have no unit of their own, only
    their class's (金融学系)."""
    econ = College("经济学院", university, ["经济学系", "金融学系"], "经济学院办公室")
    economics, finance = econ.departments
    T, S, ST = Person.Kind.TEACHER, Person.Kind.STUDENT, Person.Kind.STAFF
    econ.person("t1", "E-T1", "王建国", T, unit=economics, political_status=P.PARTY_MEMBER)
    econ.person("t2", "E-T2", "陈晓燕", T, unit=finance)
    econ.person("t3", "E-T3", "林志远", T, unit=economics)
    econ.person("t4", "E-T4", "黄丽华", T, unit=finance)
    econ.person("t5", "E-T5", "周已调", T, unit=finance, status=Person.Status.AWAY)
    econ.person("st1", "E-S1", "刘振华", ST, unit=econ.unit)
    econ.person("st2", "E-S2", "马小红", ST, unit=econ.office)
    class_e = AdminClass.objects.create(
        name="经济2101", unit=economics, counsellor=econ.people["st2"]
    )
    class_f = AdminClass.objects.create(
        name="金融2101", unit=finance, counsellor=econ.people["st2"]
    )
    statuses = [P.PARTY_MEMBER, P.PROBATIONARY, P.PARTY_MEMBER, P.LEAGUE_MEMBER]
    statuses += [P.PARTY_MEMBER, P.PARTY_MEMBER, P.MASSES, P.MASSES]
    for n, status in enumerate(statuses, start=1):
        placed = {"unit": economics, "admin_class": class_e} if n <= 4 else {"admin_class": class_f}
        econ.person(f"s{n}", f"E2021{n:03d}", f"经济学生{n}", S, political_status=status, **placed)
    econ.person(
        "s9", "E2019009", "已毕业生", S, admin_class=class_f, status=Person.Status.GRADUATED
    )
    return econ


def build_law(university: Unit) -> College:
    """法学院: teacher tx, staff stx, students sx1 (a party member) and sx2."""
    law = College("法学院", university, ["法律系"], "法学院办公室")
    (department,) = law.departments
    law.person("tx", "L-T1", "孙法官", Person.Kind.TEACHER, unit=department)
    law.person("stx", "L-S1", "吴值班", Person.Kind.STAFF, unit=law.office)
    law.person(
        "sx1",
        "L2021001",
        "法学学生1",
        Person.Kind.STUDENT,
        unit=department,
        political_status=P.PARTY_MEMBER,
    )
    law.person("sx2", "L2021002", "法学学生2", Person.Kind.STUDENT, unit=department)
    return law


class World:
    """Both colleges, their incidents and the leader's login."""

    def __init__(self) -> None:
        self.university = Unit.objects.create(name="河东大学", kind=Unit.Kind.UNIVERSITY)
        self.econ = build_economics(self.university)
        self.law = build_law(self.university)
        self.leader: User = make_user(self.econ.people["st1"])
        self.leader.grant(Role.LEADER)
        self.incident = self._incident("经济学院暴雨内涝", self.econ.unit)
        self.law_incident = self._incident("法学院暴雨内涝", self.law.unit)
        # One that covers both colleges: its chronicle must be told which.
        self.both_incident = self._incident("全校暴雨内涝", self.econ.unit, self.law.unit)

    def _incident(self, title: str, *units: Unit) -> Incident:
        incident = Incident.objects.create(
            title=title, started_at=july(10, 8), closed_at=july(16, 20), opened_by=None
        )
        incident.units.add(*units)
        return incident

    def p(self, key: str) -> Person:
        return {**self.econ.people, **self.law.people}[key]

    def build(self) -> None:
        self.teaching()
        self.workplan()
        self.careers()
        self.volunteers()
        self.duty()
        self.care()
        self.supplies()
        self.checkins()
        self.helpdesk()
        self.activities()
        self.meetings()

    # 线上教学: 2 classes online (微观经济学, 金融市场), teachers t1 t2 t3,
    # students s1–s6 and sx1 (enrolled from 法学院). 法学院: 1 class, tx and t1, sx1 sx2 s1.
    def teaching(self) -> None:
        term = Term.objects.create(name="2022-2023-2", first_monday=dt.date(2023, 2, 20), weeks=22)
        economics, finance = self.econ.departments
        (law,) = self.law.departments

        def teaching_class(code: str, unit: Unit, teachers: str, students: str) -> TeachingClass:
            made = TeachingClass.objects.create(
                term=term, code=code, course_code=code[:4], course_name=code[:-3], unit=unit
            )
            made.teachers.set([self.p(key) for key in teachers.split()])
            Enrolment.objects.bulk_create(
                Enrolment(teaching_class=made, student=self.p(key)) for key in students.split()
            )
            return made

        def lesson(teaching_class: TeachingClass, date: dt.date, online: bool, status: str) -> None:
            Lesson.objects.create(
                teaching_class=teaching_class,
                planned_date=date,
                planned_period=1,
                date=date,
                first_period=1,
                last_period=2,
                online=online,
                status=status,
            )

        held, cancelled, scheduled = (
            Lesson.Status.HELD,
            Lesson.Status.CANCELLED,
            Lesson.Status.SCHEDULED,
        )
        micro = teaching_class("微观经济学-01", economics, "t1 t2", "s1 s2 s3 s4")
        lesson(micro, day(11), True, held)
        lesson(micro, day(12), False, held)
        markets = teaching_class("金融市场学-01", finance, "t2 t3", "s3 s4 s5 s6 sx1")
        lesson(markets, day(12), True, held)
        lesson(markets, day(14), True, scheduled)
        statistics = teaching_class("统计学原理-01", economics, "t4", "s7")
        lesson(statistics, day(11), False, held)
        econometrics = teaching_class("计量经济学-01", finance, "t4", "s8")
        lesson(econometrics, day(13), True, cancelled)
        lesson(econometrics, day(5), True, held)
        civil = teaching_class("民法总论-01", law, "tx t1", "sx1 sx2 s1")
        lesson(civil, day(12), True, held)

    # 重点工作: the college's 2023 plan has 2 areas, 3 key points, 4 measures,
    # 1 breakthrough, 1 teacher vanguard post carrying a measure.
    def workplan(self) -> None:
        econ, law = self.econ, self.law
        finance_post = Team.objects.create(
            name="金融科技教师党员先锋岗", kind=Team.Kind.TEACHER_VANGUARD_POST, unit=econ.unit
        )
        law_post = Team.objects.create(
            name="法治宣传教师党员先锋岗", kind=Team.Kind.TEACHER_VANGUARD_POST, unit=law.unit
        )

        def plan(
            title: str, year: int, unit: Unit, tree: list[tuple[str, list[list[str]]]]
        ) -> Plan:
            made = Plan.objects.create(title=title, year=year, unit=unit)
            owner = next(iter(Person.objects.filter(unit__in=[unit, *unit.children.all()])))
            for a, (area_title, key_points) in enumerate(tree, start=1):
                area = Area.objects.create(plan=made, number=a, title=area_title)
                for k, measures in enumerate(key_points, start=1):
                    key_point = KeyPoint.objects.create(
                        area=area, number=k, title=f"{area_title}要点{k}"
                    )
                    for m, measure in enumerate(measures, start=1):
                        Measure.objects.create(
                            key_point=key_point,
                            number=m,
                            title=measure,
                            owner_unit=unit,
                            owner=owner,
                            is_breakthrough=measure.endswith("突破"),
                            post=finance_post
                            if "金融科技" in measure
                            else law_post
                            if "普法" in measure
                            else None,
                        )
            return made

        plan(
            "2023年经济学院工作要点",
            2023,
            econ.unit,
            [
                ("党建引领", [["金融科技党员攻关"]]),
                ("人才培养", [["一流课程建设突破", "实习基地建设"], ["毕业论文质量"]]),
            ],
        )
        plan("2022年经济学院工作要点", 2022, econ.unit, [("旧年方面", [["旧举措"]])])
        plan("2023年经济学系工作要点", 2023, econ.departments[0], [("系里方面", [["系举措"]])])
        plan(
            "2023年法学院工作要点",
            2023,
            law.unit,
            [
                ("法学一", [["普法进社区"]]),
                ("法学二", [["法学举措"]]),
                ("法学三", [["法学举措二"]]),
            ],
        )

    # 就业: 2 fairs (7/11 and the department's 7/14), 4 participations, 3 graduates.
    def careers(self) -> None:
        employers = [Employer.objects.create(name=f"河东用人单位{n}") for n in range(3)]
        rooms = 0

        def fair(title: str, unit: Unit, held_on: dt.date, rooms_of: list[str]) -> None:
            nonlocal rooms
            made = JobFair.objects.create(
                title=title,
                unit=unit,
                organiser="学院团委",
                held_on=held_on,
                starts_at=dt.time(9),
                ends_at=dt.time(12),
                platform="腾讯会议",
            )
            for employer, people in zip(employers, rooms_of, strict=False):
                rooms += 1
                room = FairEmployer.objects.create(
                    fair=made, employer=employer, room_code=f"R{rooms}"
                )
                for key in people.split():
                    Participation.objects.create(
                        room=room,
                        fair=made,
                        person=self.p(key),
                        source=Participation.Source.ROOM_CODE,
                    )

        fair("经济学院网络双选会（一）", self.econ.unit, day(11), ["s1 s2", "s1"])
        fair("金融学系专场双选会", self.econ.departments[1], day(14), ["s3"])
        fair("经济学院春季双选会", self.econ.unit, day(1), ["s4"])
        fair("法学院网络双选会", self.law.unit, day(12), ["sx1 s1"])

    # 志愿服务: brigades 青禾 (a shift) and 启航 (meals, see `care`) at work, 晨光
    # not (a shift before); 法学院's 明德. 1 party member checked in at the vanguard
    # post's shift (s1; s4 is a league member, s2 never came, s6's shift was before).
    # Home service: party members s1 (two provinces) and s2: 2 people, 2 provinces.
    def volunteers(self) -> None:
        econ, law = self.econ, self.law
        self.brigade_meals = Team.objects.create(
            name="启航志愿服务队", kind=Team.Kind.BRIGADE, unit=econ.departments[1]
        )
        self.law_brigade = Team.objects.create(
            name="明德志愿服务队", kind=Team.Kind.BRIGADE, unit=law.unit
        )
        vanguard = Team.objects.create(
            name="经济学院学生党员先锋岗", kind=Team.Kind.VANGUARD_POST, unit=econ.unit
        )

        def shift(team: Team, on: int, signups: dict[str, bool]) -> None:
            made = Shift.objects.create(
                team=team,
                title="物资搬运",
                place="学院楼",
                starts_at=july(on, 8),
                ends_at=july(on, 11),
                places=6,
            )
            for key, came in signups.items():
                SignUp.objects.create(
                    shift=made, person=self.p(key), checked_in_at=july(on, 8) if came else None
                )

        shift(
            Team.objects.create(name="青禾志愿服务队", kind=Team.Kind.BRIGADE, unit=econ.office),
            12,
            {},
        )
        shift(
            Team.objects.create(name="晨光志愿服务队", kind=Team.Kind.BRIGADE, unit=econ.unit),
            1,
            {},
        )
        shift(self.law_brigade, 12, {"sx1": True})
        shift(vanguard, 13, {"s1": True, "s4": True, "s2": False})
        shift(vanguard, 2, {"s6": True})

        approved, submitted = ServiceReport.Status.APPROVED, ServiceReport.Status.SUBMITTED
        for key, on, province, status in [
            ("s1", 11, "14", approved),
            ("s1", 12, "41", approved),
            ("s2", 13, "14", approved),
            ("s3", 12, "13", submitted),
            ("s4", 12, "37", approved),
            ("s5", 5, "61", approved),
            ("s6", 11, "62", ServiceReport.Status.RETURNED),
            ("t1", 11, "14", approved),
            ("sx1", 11, "33", approved),
        ]:
            ServiceReport.objects.create(
                person=self.p(key),
                date=day(on),
                province=province,
                place="社区",
                activity="协助核酸检测",
                hours=Decimal(3),
                status=status,
            )

    # 一线值守: st1 4 days on site (7/10–13), as long as t2's later run; t1's run
    # began before the period (2 days inside); 法学院's stx 7 days.
    def duty(self) -> None:
        rows = []
        runs = {"st1": [10, 11, 12, 13, 15, 16], "t2": [12, 13, 14, 15], "t1": range(5, 12)}
        runs["stx"] = range(10, 17)
        for key, days in runs.items():
            rows += [
                DutyDay(person=self.p(key), date=day(d), mode=DutyDay.Mode.ON_SITE) for d in days
            ]
        rows.append(DutyDay(person=self.p("st1"), date=day(14), mode=DutyDay.Mode.REMOTE))
        DutyDay.objects.bulk_create(rows)

    # 关怀: s1 had 3, 3 and 1 meals (one missed, one pending), s3 2: three
    # meals a day; 9 delivered to 2 people. s2's isolation ended before;
    # sx1's two a day are 法学院's.
    def care(self) -> None:
        slots = [
            MealSlot.objects.create(name=name, time=dt.time(hour))
            for name, hour in (("早饭", 7), ("午饭", 12), ("晚饭", 18))
        ]
        room = IsolationRoom.objects.create(building="隔离楼", number="201", capacity=4)

        def isolate(key: str, started: dt.datetime, ended: dt.datetime | None = None) -> Isolation:
            return Isolation.objects.create(
                person=self.p(key),
                room=room,
                reason="密切接触",
                started_at=started,
                planned_end=day(20),
                ended_at=ended,
            )

        def meals(isolation: Isolation, on: int, statuses: list[str], team: Team) -> None:
            for slot, status in zip(slots, statuses, strict=False):
                MealDelivery.objects.create(
                    isolation=isolation,
                    slot=slot,
                    date=day(on),
                    due_at=clock.at(day(on), slot.time),
                    building="隔离楼",
                    floor=2,
                    room="201",
                    team=team,
                    status=status,
                )

        D, M, W = (
            MealDelivery.Status.DELIVERED,
            MealDelivery.Status.MISSED,
            MealDelivery.Status.PENDING,
        )
        s1 = isolate("s1", july(11, 8))
        meals(s1, 11, [D, D, D], self.brigade_meals)
        meals(s1, 12, [D, D, D], self.brigade_meals)
        meals(s1, 13, [D, M, W], self.brigade_meals)
        s3 = isolate("s3", july(5, 8))
        meals(s3, 9, [D, D, D], self.brigade_meals)
        meals(s3, 14, [D, D], self.brigade_meals)
        isolate("s2", july(1, 8), july(8, 10))
        sx1 = isolate("sx1", july(11, 8))
        for on in (11, 12, 13):
            meals(sx1, on, [D, D], self.law_brigade)

    # 捐赠, from the college's people: 口罩 3 盒 (s7's 2, s6's anonymous 1),
    # 矿泉水 7 箱 (s7's 5, t3's 2), 大米 25 kg (t1 gave 3 袋, 25 kg came). From
    # everyone, add a company's 口罩 10 盒: 13 盒.
    def supplies(self) -> None:
        def item(name: str, base: str, packs: dict[str, str]) -> Item:
            made = Item.objects.create(name=name, category=Category.OTHER, base_unit=base)
            for unit, factor in packs.items():
                ItemUnit.objects.create(item=made, name=unit, factor=Decimal(factor))
            return made

        masks = item("口罩", "只", {"盒": "50"})
        water = item("矿泉水", "瓶", {"箱": "24"})
        rice = item("大米", "kg", {"袋": "10"})
        store = Store.objects.create(
            name="经济学院仓库", kind=Store.Kind.WAREHOUSE, unit=self.econ.unit
        )
        law_store = Store.objects.create(
            name="法学院仓库", kind=Store.Kind.WAREHOUSE, unit=self.law.unit
        )
        company = supplies.save_donor(
            Donor(kind=Donor.Kind.COMPANY, name="河东食品有限公司"), acting_user=self.leader
        )

        def give(
            donor: Donor | str,
            lines: list[tuple[Item, int, str]],
            received: dt.datetime | None,
            *,
            college: College | None = None,
            counted: dict[str, Decimal] | None = None,
            **fields: Any,
        ) -> Donation:
            college = college or self.econ
            giver = donor if isinstance(donor, Donor) else supplies.donor_for(self.p(donor))
            donation = supplies.pledge(
                giver,
                [supplies.Pledge(it, Decimal(quantity), unit) for it, quantity, unit in lines],
                unit=college.unit,
                at=(received or july(15)) - dt.timedelta(hours=3),
                acting_user=self.leader,
                **fields,
            )
            if received is None:
                return donation
            counts = {
                line.pk: supplies.Count(
                    (counted or {}).get(line.item.name, line.pledged),
                    note="到货不足" if counted and line.item.name in counted else "",
                )
                for line in donation.lines.select_related("item")
            }
            target = store if college is self.econ else law_store
            return supplies.receive_donation(
                donation, target, counts, at=received, acting_user=self.leader
            )

        give("s7", [(masks, 2, "盒"), (water, 5, "箱")], july(12))
        give("t1", [(rice, 3, "袋")], july(13), counted={"大米": Decimal(25)})
        give("t3", [(water, 2, "箱")], july(14, 9))
        give(company, [(masks, 10, "盒")], july(14, 15))
        give("s6", [(masks, 1, "盒")], july(15), publicity=Donation.Publicity.ANONYMOUS)
        give("s8", [(masks, 1, "盒")], None)
        give("s7", [(rice, 1, "袋")], july(5))
        give("sx1", [(water, 1, "箱")], july(12), college=self.law)

    # 打卡: 14 people of 经济学院 expected on 7 days (98); all reported on
    # 7/10–14 (70), the students on 7/15 (8), nobody on 7/16: 78, 79.6%.
    # t5 (left) and s1 on 7/9 are not counted; 法学院's 4 reported every day.
    def checkins(self) -> None:
        rows = []

        def report(key: str, incident: Incident, on: dt.date) -> None:
            at = clock.at(on, dt.time(8))
            rows.append(
                CheckIn(
                    person=self.p(key),
                    incident=incident,
                    date=on,
                    submitted_at=at,
                    updated_at=at,
                    location=Location.CAMPUS,
                )
            )

        present = ["t1", "t2", "t3", "t4", "st1", "st2", *(f"s{n}" for n in range(1, 9))]
        for on in range(10, 15):
            for key in present:
                report(key, self.incident, day(on))
        for n in range(1, 9):
            report(f"s{n}", self.incident, day(15))
        report("t5", self.incident, day(10))
        report("s1", self.incident, day(9))
        for on in range(10, 17):
            for key in ("tx", "stx", "sx1", "sx2"):
                report(key, self.law_incident, day(on))
        CheckIn.objects.bulk_create(rows)

    # 帮扶: received in the period s1's, s2's, s4's and t1's (4); solved in it
    # s2's and s3's (2): s4's was reopened, t1's solved after, s5's before.
    def helpdesk(self) -> None:
        S = HelpRequest.Status
        for key, created, resolved, status in [
            ("s1", july(11), None, S.SUBMITTED),
            ("s2", july(11), july(12), S.RESOLVED),
            ("s3", july(8), july(10), S.CONFIRMED),
            ("s4", july(12), None, S.REOPENED),
            ("s5", july(1), july(5), S.CLOSED),
            ("t1", july(13), july(17), S.RESOLVED),
            ("sx1", july(11), july(12), S.RESOLVED),
        ]:
            HelpRequest.objects.create(
                requester=self.p(key),
                category=HelpRequest.Category.LIVING,
                description="宿舍漏水",
                status=status,
                created_at=created,
                resolved_at=resolved,
            )

    # 活动: 3 under way (外部 contest from June, the college's contest, the
    # department's festival): 2 contests, 7 sign-ups, 6 participations by 6
    # students, 2 awards (s1's prize, s6's award outside).
    def activities(self) -> None:
        def activity(
            title: str, kind: str, unit: Unit, starts: dt.date, ends: dt.date, **fields: Any
        ) -> Activity:
            return Activity.objects.create(
                title=title,
                kind=kind,
                unit=unit,
                organiser="学院团委",
                starts_on=starts,
                ends_on=ends,
                **fields,
            )

        def sign_up(made: Activity, keys: str) -> dict[str, ActivitySignUp]:
            return {
                key: ActivitySignUp.objects.create(activity=made, person=self.p(key))
                for key in keys.split()
            }

        K = Activity.Kind
        contest = activity(
            "模拟炒股大赛",
            K.CONTEST,
            self.econ.unit,
            day(1),
            day(20),
            entries_close_at=july(15),
            entry_kinds=["document"],
            results_published_at=july(15, 18),
        )
        sign_up(contest, "s1 s2 s3")
        entries = {
            key: Entry.objects.create(activity=contest, person=self.p(key), title=f"{key}的作品")
            for key in ("s1", "s2")
        }
        Award.objects.create(activity=contest, entry=entries["s1"], prize=Prize.FIRST)
        festival = activity("金融文化节", K.FESTIVAL, self.econ.departments[1], day(14), day(14))
        sign_up(festival, "s4 s5")
        outside = activity(
            "全国大学生经济学竞赛",
            K.CONTEST,
            self.econ.unit,
            dt.date(2023, 6, 1),
            day(10),
            external=True,
        )
        signed = sign_up(outside, "s6 s7")
        ExternalAward.objects.create(
            activity=outside,
            signup=signed["s6"],
            level=ExternalAward.Level.NATIONAL,
            prize=Prize.SECOND,
            awarded_on=day(10),
        )
        sign_up(
            activity(
                "五月征文", K.COLLECTION, self.econ.unit, dt.date(2023, 5, 1), dt.date(2023, 6, 30)
            ),
            "s8",
        )
        sign_up(activity("法治讲座", K.LECTURE, self.law.unit, day(12), day(12)), "sx1")

    # 部署: 2 meetings of the incident in the period, 1 after it.
    def meetings(self) -> None:
        for on in (10, 13, 18):
            Meeting.objects.create(
                incident=self.incident, held_at=july(on, 10), title=f"防汛会议{on}"
            )
        Meeting.objects.create(
            incident=self.law_incident, held_at=july(11, 10), title="法学院防汛会议"
        )
