"""The seed's lockdown: 并州疫情校园封控, from 4月2日 (the 清明 weekend) to the
demo's now, 4月16日 at 09:30: the morning the seed's article appeared, the day
after the donation.

The incident is opened as a leader would open it, with its plan, meetings and
risky regions; then two weeks of check-ins are replayed (most on time, some
late, some missing, a few with symptoms), screened as the screening job would,
and a counsellor's actions recorded on most flags. Today stands as it did at
NOW: part of the college has not reported yet, so the missing list has
names. Every draw comes from the demo's seeded generators: the same seed gives
the same fortnight.

Who was where is decided here, once: students on campus under lockdown, some
at home on the leave they took for 清明 (the seed's 18 party members among
them), postgraduates in their rooms in town; the staff at home but for the
duty team's days on site (`DutyRota`) and a few teachers living on campus.
The later steps read it from the check-ins (`locations`) and put on campus
only those who checked in there that day.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from shouwang.accounts.models import Role
from shouwang.checkins.models import CheckIn, Location, PrivacyAcceptance, Symptom
from shouwang.checkins.privacy import notice_version
from shouwang.core.calendar import Calendar
from shouwang.incidents.actions import default_plan_template, open_incident, record_meeting
from shouwang.incidents.models import Incident, PlanTask
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.lib.divisions import city_choices
from shouwang.people.models import DegreeLevel, Person
from shouwang.screening.actions import mark_risk_region
from shouwang.screening.models import Flag, FlagAction
from shouwang.screening.rules import flag_checkin, flag_missed

from .college import COLLEGE, COUNSELLOR_NAME
from .context import Demo

TITLE = "并州疫情校园封控"
STARTED_AT = beijing(2022, 4, 2, 8, 0)
FIRST_DAY = STARTED_AT.date()
# The demo's now: scripts/demo.sh starts the demo's clock here
# (SHOUWANG_DEMO_START), and every step makes its records up to it, none after.
# Today is shown as it stood at this time of the morning: whoever would report
# later has not yet.
TODAY = dt.date(2022, 4, 16)
TODAY_AS_OF = dt.time(9, 30)
NOW = clock.at(TODAY, TODAY_AS_OF)
DEADLINE = dt.time(10, 0)
REMINDER_TIMES = ["08:00", "09:30"]

# Of a past day's expected people: missing, late; the rest report on time.
MISSING_SHARE = 0.03
LATE_SHARE = 0.04
# People who miss two days in a row (so screening flags them) besides chance.
TWO_DAY_GAPS = 5
# Of undergraduates living in a dormitory, those who had gone home for 清明
# before the lockdown; of postgraduates living off campus, those at home (the
# rest rent near the campus, in 太原).
WENT_HOME_SHARE = 0.05
OFF_CAMPUS_AT_HOME_SHARE = 0.3
# Teachers and staff work from home (居家办公) in 太原 but for the staff duty
# team's days on site (`DutyRota`) and a few teachers who live in the campus's
# staff housing and were locked in with the students (one keeps the gate).
CAMPUS_RESIDENTS = 3

SHANXI, TAIYUAN = "14", "1401"
SHANGHAI, CHANGCHUN = ("31", ""), ("22", "2201")
# Where the seed's 18 student party members serving their home communities
# live ("分布在全国各地"): one province each, three of them Shanxi.
PARTY_MEMBERS_AT_HOME = 18
PARTY_HOME_PROVINCES = "14 14 14 13 41 37 61 15 62 32 33 51 43 42 34 21 23 31".split()
# Everyone else at home: most of a provincial university's students are from Shanxi.
OTHER_HOME_PROVINCES = "13 41 37 61 15 62 34 32".split()
SHANXI_HOME_SHARE = 0.75

NORMAL_TEMPERATURES = [Decimal(tenths) / 10 for tenths in range(361, 370)]


@dataclass(frozen=True)
class Whereabouts:
    location: str
    province: str = ""
    city: str = ""


@dataclass(frozen=True)
class Report:
    """What one person reports on one day beyond where they are."""

    symptoms: tuple[str, ...] = ()
    temperature: Decimal | None = None
    contact_with_case: bool = False
    note: str = ""


# Episodes of illness, by day of the episode: a fever with a sore throat that
# passes, a fever alone, a contact with a case (referred to isolation).
EPISODES: tuple[tuple[Report, ...], ...] = (
    (
        Report((Symptom.FEVER, Symptom.SORE_THROAT), Decimal("37.6"), note="嗓子疼，有点发烧"),
        Report((Symptom.SORE_THROAT,), Decimal("37.1"), note="已退烧，嗓子还有点疼"),
    ),
    (
        Report((Symptom.COUGH,), Decimal("36.8"), note="咳嗽"),
        Report((Symptom.COUGH,), Decimal("36.7")),
    ),
    (Report((), Decimal("37.3"), note="午饭后测的"),),
    (
        Report((Symptom.FATIGUE,), Decimal("37.5")),
        Report((), Decimal("36.9")),
    ),
    (Report((), Decimal("36.6"), contact_with_case=True, note="同楼层有阳性病例"),),
)
# Today's only episode: not yet seen by a counsellor.
TODAY_EPISODE = Report((Symptom.FEVER, Symptom.COUGH), Decimal("37.8"), note="早上起来发烧")

# The meetings held for the incident.
MEETINGS = (
    (
        beijing(2022, 4, 2, 10, 30),
        "召开专题会议研究部署疫情封控后有关工作",
        "学院党委班子成员、各系主任、辅导员",
        (
            "启动学院校园封控应急预案",
            "全体师生每日10:00前完成健康打卡，辅导员逐一核实未打卡人员",
            "本科生党支部辅导员赵璞驻校，统筹在校学生管理",
            "行政人员居家办公，保持联络畅通",
        ),
    ),
    (
        beijing(2022, 4, 5, 15, 0),
        "线上教学工作部署会",
        "院长、教学副院长、各系主任、教学秘书",
        (
            "4月6日起全面启动“云端”课堂，承担本期教学任务的教师全部转为线上授课",
            "各教学班建立课程群，教学秘书每日汇总开课情况",
        ),
    ),
)
# The work-promotion meeting of 4月11日 is the college's own, not the
# incident's: `workplan` records it with the work its decisions became.

# The default plan's tasks as they stood on 4月16日, by title: (owner's post,
# when it was done, the note it was ticked off with); None for the open ones.
# A title the plan no longer has is skipped; a task not named here stays open.
PLAN_PROGRESS: dict[str, tuple[str, dt.datetime | None, str]] = {
    "启动应急预案并成立工作专班": (
        "党委书记",
        beijing(2022, 4, 2, 8, 40),
        "成立疫情防控工作专班，党委书记、院长任组长。",
    ),
    "召开专题会议研究部署": (
        "党委书记",
        beijing(2022, 4, 2, 11, 30),
        "见4月2日专题会议纪要。",
    ),
    "向全体师生发布封控通知，明确每日健康打卡要求": (
        "党委副书记",
        beijing(2022, 4, 2, 12, 10),
        "通知已发至各班级群和教职工群：每日10:00前完成健康打卡。",
    ),
    "全员排查在校外师生健康状况": (
        "党委副书记",
        beijing(2022, 4, 3, 9, 30),
        "校外师生所在地和健康状况已按打卡逐一核实。",
    ),
    "摸排在校学生宿舍分布及特殊困难群体": (
        f"辅导员{COUNSELLOR_NAME}",
        beijing(2022, 4, 3, 16, 0),
        "按宿舍楼建立联络台账，困难学生逐一建档。",
    ),
    "落实隔离学生一日三餐": (
        "团委书记",
        beijing(2022, 4, 2, 18, 0),
        "“春蕾工程”“红烛”两支志愿者服务大队定时定点送餐。",
    ),
    "组建学生党员先锋岗和志愿者服务队": (
        "团委书记",
        beijing(2022, 4, 3, 10, 0),
        "学生党员先锋岗成立，协助各年级辅导员开展工作。",
    ),
    "行政人员居家办公安排，保持联络畅通": (
        "办公室主任",
        beijing(2022, 4, 2, 17, 0),
        "行政人员居家办公，离校不离岗，工作群每日报到。",
    ),
    "清点防疫物资，上报缺口": ("办公室主任", None, ""),
    "开通心理疏导和求助渠道": (
        "党委副书记",
        beijing(2022, 4, 4, 15, 0),
        "辅导员开设“战役”思政云课堂，公布心理咨询热线。",
    ),
    "启动线上教学": (
        "副院长（教学）",
        beijing(2022, 4, 6, 8, 0),
        "4月6日起全面启动“云端”课堂。",
    ),
    "召开学院工作推进会，细化重点工作举措": (
        "院长",
        beijing(2022, 4, 11, 11, 0),
        "见4月11日线上工作推进会纪要。",
    ),
    "联络用人单位，组织线上双选会": ("团委书记", None, ""),
}


def _days() -> list[dt.date]:
    return [FIRST_DAY + dt.timedelta(days=n) for n in range((TODAY - FIRST_DAY).days + 1)]


def _at(day: dt.date, minutes: float, rng: random.Random) -> dt.datetime:
    whole = int(minutes)
    return clock.at(day, dt.time(whole // 60, whole % 60, rng.randrange(60)))


def _place(rng: random.Random, province: str) -> Whereabouts:
    """At home somewhere in `province`, in one of its real cities."""
    city = rng.choice(city_choices(province))[0]
    return Whereabouts(Location.HOME, province, city)


def _home(rng: random.Random) -> Whereabouts:
    if rng.random() < SHANXI_HOME_SHARE:
        return _place(rng, SHANXI)
    return _place(rng, rng.choice(OTHER_HOME_PROVINCES))


def _incident(demo: Demo) -> Incident:
    if demo.incident is None:
        raise ValueError("open_lockdown must run first")
    return demo.incident


def open_lockdown(demo: Demo) -> None:
    """The incident and its regime, plan, meetings and risky regions, as they
    stood on the demo's today."""
    leader = demo.user(Role.LEADER)
    incident = open_incident(
        title=TITLE,
        units=[demo.units[COLLEGE]],
        started_at=STARTED_AT,
        level=Incident.Level.II,
        reporters=Incident.Reporters.EVERYONE,
        deadline=DEADLINE,
        reminder_times=REMINDER_TIMES,
        template=default_plan_template(),
        acting_user=leader,
    )
    demo.incident = incident

    # The plan's progress is history: complete_task would stamp the build's
    # clock, so the tasks are ticked off as of their own dates here.
    users = {login.user.person_id: login.user for login in demo.logins}
    tasks = list(incident.tasks.all())
    for task in tasks:
        if task.title not in PLAN_PROGRESS:
            continue
        post, done_at, note = PLAN_PROGRESS[task.title]
        task.owner = demo.posts[post]
        if done_at is not None:
            task.done_at, task.note = done_at, note
            task.done_by = users.get(task.owner.pk, leader)
    PlanTask.objects.bulk_update(tasks, ["owner", "done_at", "done_by", "note"])

    for held_at, title, attendees, decisions in MEETINGS:
        # Online: but for 赵璞 and the staff on duty, everyone is at home.
        record_meeting(
            incident,
            held_at=held_at,
            title=title,
            attendees=attendees,
            decisions=decisions,
            is_online=True,
            acting_user=leader,
        )
    for province, city in (SHANGHAI, CHANGCHUN):
        mark_risk_region(incident, province, city, acting_user=leader)
    incident.risk_regions.update(marked_at=STARTED_AT)


# The staff duty team (教职工值班组) the meeting of 4月2日 set up, by post,
# and how many others take turns.
OFFICE_DIRECTOR, DEPUTY_SECRETARY = "办公室主任", "党委副书记"
DUTY_OTHERS = 5
# The others come in for stints of this many days, one at a time.
STINT_DAYS = 3
# The office director keeps the college's store and duty room (demo.supplies):
# on site every day but 清明 itself and 4月14日, days the store was quiet; so
# nobody but 赵璞 is on site past the roster's limit of consecutive days.
OFFICE_DIRECTOR_AT_HOME = (dt.date(2022, 4, 4), dt.date(2022, 4, 14))


@dataclass(frozen=True)
class DutyRota:
    """The staff duty team and the days each member is on site; on the others
    they work from home. 赵璞, on duty at school when the lockdown began,
    stays throughout (the seed's "将近半月"); the office director keeps the
    store; the 党委副书记 leads the duty on working days (带班); party-member
    teachers take stints in turn. The check-ins (`replay_checkins`), the team
    (`demo.notices`) and the roster (`demo.volunteers`) are all read from it."""

    members: tuple[Person, ...]
    on_site: dict[int, frozenset[dt.date]]

    def is_on_site(self, person_id: int, day: dt.date) -> bool:
        return day in self.on_site.get(person_id, frozenset())


def duty_rota(demo: Demo) -> DutyRota:
    """The same rota on every call: from the college's people and the school
    calendar, with a generator of its own."""
    rng = demo.rng("duty rota")
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    office, deputy = demo.posts[OFFICE_DIRECTOR], demo.posts[DEPUTY_SECRETARY]
    named = {counsellor.pk, office.pk, deputy.pk}
    # The others are teachers of the staff party branch (党员教师), in turn.
    teachers = sorted(demo.teachers, key=lambda person: person.number)
    others = rng.sample(
        [person for person in teachers if person.is_party_member and person.pk not in named],
        DUTY_OTHERS,
    )
    days = _days()
    on_site = {
        counsellor.pk: frozenset(days),
        office.pk: frozenset(day for day in days if day not in OFFICE_DIRECTOR_AT_HOME),
        deputy.pk: frozenset(Calendar(FIRST_DAY, TODAY).working_days()),
    }
    for stint, start in enumerate(range(0, len(days), STINT_DAYS)):
        person = others[stint % len(others)]
        stint_days = on_site.get(person.pk, frozenset()) | set(days[start : start + STINT_DAYS])
        on_site[person.pk] = frozenset(stint_days)
    return DutyRota((counsellor, office, deputy, *others), on_site)


def _whereabouts(demo: Demo, people: list[Person], rota: DutyRota) -> dict[int, Whereabouts]:
    """Where each person spends the lockdown when not on site for the duty
    team (students do not move during it)."""
    rng = demo.rng("lockdown whereabouts")
    logins = {login.user.person_id for login in demo.logins}

    # The seed's 18 are the student party members away from school; those at
    # school formed the 党员先锋岗 there.
    party_members = [
        person
        for person in people
        if person.kind == Person.Kind.STUDENT
        and person.degree_level == DegreeLevel.BACHELOR
        and person.is_party_member
        and person.pk not in logins
    ]
    at_home = rng.sample(party_members, PARTY_MEMBERS_AT_HOME)
    where = {
        person.pk: _place(rng, province)
        for person, province in zip(at_home, PARTY_HOME_PROVINCES, strict=True)
    }
    residents = rng.sample(
        [
            person
            for person in people
            if person.kind == Person.Kind.TEACHER
            and person.pk not in rota.on_site
            and person.pk not in logins
        ],
        CAMPUS_RESIDENTS,
    )
    for person in people:
        if person.pk in where:
            continue
        if person.kind != Person.Kind.STUDENT:
            where[person.pk] = (
                Whereabouts(Location.CAMPUS)
                if person in residents
                else Whereabouts(Location.HOME, SHANXI, TAIYUAN)
            )
        elif person.dorm_room_id is not None:
            went_home = rng.random() < WENT_HOME_SHARE and person.pk not in logins
            where[person.pk] = (
                _home(rng)
                if went_home and not person.is_party_member
                else Whereabouts(Location.CAMPUS)
            )
        elif rng.random() < OFF_CAMPUS_AT_HOME_SHARE and not person.is_party_member:
            where[person.pk] = _home(rng)
        else:
            where[person.pk] = Whereabouts(Location.ELSEWHERE, SHANXI, TAIYUAN)
    # One undergraduate went home to 长春 for the holiday: a risky region.
    stranded = next(
        person
        for person in people
        if where[person.pk].location == Location.HOME
        and person.degree_level == DegreeLevel.BACHELOR
        and person not in at_home
    )
    where[stranded.pk] = Whereabouts(Location.HOME, *CHANGCHUN)
    return where


def replay_checkins(demo: Demo) -> None:
    """Every check-in from the first day to the demo's today, in one bulk insert,
    and the privacy acceptance each reporter gave before their first."""
    incident = _incident(demo)
    rng = demo.rng("lockdown check-ins")
    people = list(incident.expected_people().order_by("number"))
    rota = duty_rota(demo)
    where = _whereabouts(demo, people, rota)
    days = _days()
    logins = {login.role: login.user.person_id for login in demo.logins if login.user.person_id}
    # The student login has not reported today: the walkthrough checks in.
    # The volunteer login, on the rounds every day, reports every day.
    never_missing = {
        logins[Role.STUDENT],
        logins[Role.COUNSELLOR],
        logins[Role.LEADER],
        logins[Role.VOLUNTEER],
    }
    absent: set[tuple[int, dt.date]] = {(logins[Role.STUDENT], TODAY)}

    students = [p for p in people if p.kind == Person.Kind.STUDENT and p.pk not in never_missing]
    for person in rng.sample(students, TWO_DAY_GAPS):
        start = rng.choice(days[1:-2])
        absent |= {(person.pk, start), (person.pk, start + dt.timedelta(days=1))}
    # The fevers and the contact are on campus: the campus clinic sees them
    # and a contact is isolated in his room, his meals carried to his door.
    students = [p for p in students if where[p.pk].location == Location.CAMPUS]
    reports: dict[tuple[int, dt.date], Report] = {}
    for episode in EPISODES:
        person = rng.choice(students)
        start = rng.choice(days[: -len(episode) - 1])
        for offset, report in enumerate(episode):
            reports[(person.pk, start + dt.timedelta(days=offset))] = report
    # Today's fever is in 赵璞's classes: the counsellor login has a flag to act on.
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    own_classes = {cls.pk for cls in demo.classes if cls.counsellor_id == counsellor.pk}
    own_students = [p for p in students if p.admin_class_id in own_classes]
    reports[(rng.choice(own_students).pk, TODAY)] = TODAY_EPISODE

    as_of = TODAY_AS_OF.hour * 60 + TODAY_AS_OF.minute
    checkins = []
    first_report: dict[int, dt.datetime] = {}
    for day in days:
        for person in people:
            key = (person.pk, day)
            if key in absent:
                continue
            planned = reports.get(key)
            # Whoever is on site for the duty team reports there that day.
            on_duty = rota.is_on_site(person.pk, day)
            roll = rng.random()
            # Drawn for everyone, used by some: each person's draws stay put
            # when a share changes.
            on_time = rng.triangular(6 * 60 + 30, 9 * 60 + 59, 7 * 60 + 45)
            late = rng.uniform(10 * 60 + 1, 16 * 60)
            temperature = rng.choice(NORMAL_TEMPERATURES)
            if planned is None and person.pk not in never_missing and not on_duty:
                if roll < MISSING_SHARE or (day == TODAY and on_time >= as_of):
                    continue
            if day == TODAY:
                # Those who must have reported today did so before the snapshot.
                on_time = min(on_time, as_of - 1)
            is_late = (
                day != TODAY
                and planned is None
                and person.pk not in never_missing
                and roll < MISSING_SHARE + LATE_SHARE
            )
            submitted_at = _at(day, late if is_late else on_time, rng)
            place = Whereabouts(Location.CAMPUS) if on_duty else where[person.pk]
            report = planned or Report(temperature=temperature)
            checkins.append(
                CheckIn(
                    person_id=person.pk,
                    incident=incident,
                    date=day,
                    submitted_at=submitted_at,
                    updated_at=submitted_at,
                    late=is_late,
                    location=place.location,
                    province=place.province,
                    city=place.city,
                    symptoms=list(report.symptoms),
                    temperature=report.temperature,
                    contact_with_case=report.contact_with_case,
                    note=report.note,
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                )
            )
            first_report.setdefault(person.pk, submitted_at)
    CheckIn.objects.bulk_create(checkins, batch_size=1000)
    version = notice_version(incident)
    PrivacyAcceptance.objects.bulk_create(
        (
            PrivacyAcceptance(
                person_id=pk, version=version, accepted_at=at - dt.timedelta(minutes=1)
            )
            for pk, at in first_report.items()
        ),
        batch_size=1000,
    )
    demo.checkins = checkins


def locations(demo: Demo) -> dict[tuple[int, dt.date], str]:
    """Where each person checked in on each day: {(person id, day): location}.
    The later steps put on campus only those who checked in there."""
    return {(checkin.person_id, checkin.date): checkin.location for checkin in demo.checkins}


def on_campus_throughout(demo: Demo) -> set[int]:
    """The people who checked in, and always on campus: the students who
    spent the lockdown at school and the staff who live there."""
    away = {c.person_id for c in demo.checkins if c.location != Location.CAMPUS}
    return {c.person_id for c in demo.checkins} - away


def screen(demo: Demo) -> None:
    """Raise the flags the screening would have raised, dated when it would
    have, and record what the counsellors did about most of them."""
    incident = _incident(demo)
    risky = set(incident.risk_regions.values_list("province", flat=True))
    for checkin in demo.checkins:
        if checkin.is_abnormal or (
            checkin.location != Location.CAMPUS and checkin.province in risky
        ):
            flag_checkin(checkin)
    days = _days()
    # Today's deadline has not passed yet: nobody is missing today until it has.
    for day in days[1:-1]:
        flag_missed(incident, day)
    flags = Flag.objects.filter(incident=incident)
    flags.exclude(reason=Flag.Reason.MISSED).update(
        created_at=Subquery(
            CheckIn.objects.filter(person_id=OuterRef("person_id"), date=OuterRef("date")).values(
                "submitted_at"
            )[:1]
        )
    )
    for day in days:
        flags.filter(reason=Flag.Reason.MISSED, date=day).update(
            created_at=incident.deadline_at(day) + dt.timedelta(minutes=1)
        )
    _act_on_flags(demo, incident)


# What a counsellor did about a flag: (outcome, note, hours after the flag).
FOLLOW_UPS: dict[str, tuple[tuple[str, str, int], ...]] = {
    Flag.Reason.SYMPTOMS: (
        (FlagAction.Outcome.CONTACTED, "电话联系本人，已嘱咐多喝水、每日复测体温", 1),
        (FlagAction.Outcome.CLEARED, "复测体温正常，症状缓解", 26),
    ),
    Flag.Reason.FEVER: (
        (FlagAction.Outcome.CONTACTED, "已联系校医院，安排复测体温", 1),
        (FlagAction.Outcome.CLEARED, "复测体温正常", 25),
    ),
    Flag.Reason.CONTACT: (
        (FlagAction.Outcome.REFERRED, "已按学校要求转隔离观察，三餐由志愿者配送", 2),
    ),
    Flag.Reason.MISSED: (
        (FlagAction.Outcome.CLEARED, "电话联系本人，身体无异常，已提醒按时打卡", 3),
    ),
    Flag.Reason.RISK_REGION: (
        (FlagAction.Outcome.CLEARED, "已核实所在地和健康状况，已向所在社区报备", 4),
    ),
    Flag.Reason.RISK_AREA: ((FlagAction.Outcome.CLEARED, "已核实行程，居家观察期满", 24),),
}
# Yesterday's flags a counsellor has not got to yet.
LEFT_OPEN_SHARE = 0.5


def _act_on_flags(demo: Demo, incident: Incident) -> None:
    """The rows `screening.actions.record_flag_action` writes, at the times they were
    done rather than the build's clock (and without an audit row each)."""
    rng = demo.rng("lockdown follow-ups")
    users = {login.user.person_id: login.user for login in demo.logins}
    leader = demo.user(Role.LEADER)
    yesterday = TODAY - dt.timedelta(days=1)
    # Nothing is done after the moment today is shown at.
    cutoff = NOW
    done = (FlagAction.Outcome.CLEARED, FlagAction.Outcome.REFERRED)
    actions, resolved = [], []
    flags = (
        Flag.objects.filter(incident=incident, date__lt=TODAY)
        .select_related("person__admin_class__counsellor")
        .order_by("date", "person__number", "reason")
    )
    for flag in flags:
        if flag.date == yesterday and rng.random() < LEFT_OPEN_SHARE:
            continue
        admin_class = flag.person.admin_class
        counsellor = admin_class.counsellor if admin_class else None
        # Only 赵璞 has a demo login: other counsellors' actions name them in
        # the note; the leaders look after the staff, who are in no class.
        by = users.get(counsellor.pk) if counsellor else leader
        signed = f"（辅导员{counsellor.name}）" if counsellor and by is None else ""
        for outcome, note, hours in FOLLOW_UPS[flag.reason]:
            at = flag.created_at + dt.timedelta(hours=hours, minutes=rng.randrange(50))
            if at > cutoff:
                break
            actions.append(FlagAction(flag=flag, outcome=outcome, note=note + signed, by=by, at=at))
            if outcome in done:
                flag.resolved_at = at
                resolved.append(flag)
    FlagAction.objects.bulk_create(actions, batch_size=1000)
    Flag.objects.bulk_update(resolved, ["resolved_at"], batch_size=1000)


LOCKDOWN_STEPS: tuple[Callable[[Demo], None], ...] = (open_lockdown, replay_checkins, screen)
