"""The college's leave and campus-access approvals, spring 2022.

On 3月1日 the leaders configure the kinds of leave a college grants (病假,
事假, 离校, 返校, 入校 for staff on duty, 外出就医) and their chains: the
student's counsellor, then the 学工副书记 (the college's 党委副书记) for leave
over 3 working days or leaving 太原; 入校 approved by the 办公室主任, or by
the 党委副书记 for the college office's own staff. A teacher who stayed on
campus keeps the gate (门岗) and scans the passes.

Then the lockdown's requests, each at its moment and consistent with the
check-ins:

- The students who spend the lockdown at home went home for 清明: their 离校
  was asked and approved on 3月31日 and 4月1日, to the province and city their
  check-ins give, until the planned return of 4月24日 (one extended it since).
- Students on campus go out to hospital (外出就医), approved by their
  counsellor; the gate records the exit and the return, or the student reports
  the return (销假) and the counsellor confirms it. One went out on 4月15日 and
  is not back: he is on 赵璞's overdue list.
- A fever of the fortnight asks 病假 for its days; today's waits on 赵璞.
- The duty roster's people on campus ask 入校 for their duty weeks.
- A few requests rejected (going home to 上海 during the lockdown) or
  returned for changes (one sent again and approved).
- At the demo's now a few requests wait on 赵璞; one past its limit, reminded.

Everything goes through `shouwang.leave.actions` (the reminder through the
reminder job's `timeouts.remind_and_escalate`) on the demo's clock set back
to its moment (`clock.standing_at`). The requesters and approvers get logins without a
password, as the teachers do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role, RoleGrant, User
from shouwang.checkins.models import CheckIn, Location
from shouwang.core.models import LogEntry
from shouwang.leave import actions, timeouts
from shouwang.leave.message_kinds import LEAVE
from shouwang.leave.models import (
    ChainStep,
    LeaveKind,
    LeaveRequest,
    LeaveStep,
    Post,
)
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.lib.divisions import city_choices
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.volunteers.models import DutyDay

from .college import COLLEGE, COUNSELLOR_NAME, OFFICE
from .context import JOINED, Demo, on_the_minute
from .files import one_page_pdf
from .lockdown import FIRST_DAY, NOW, SHANXI, TAIYUAN, TODAY

CONFIGURED_AT = beijing(2022, 3, 1, 9, 0)
DEPUTY_POST = "学工副书记"  # held by the college's 党委副书记
ENTRY_POST = "入校审批"  # the 办公室主任; the 党委副书记 for the office's own staff
LONGER_THAN = 3  # working days

SICK, PERSONAL, AWAY, RETURN, ENTRY, HOSPITAL = "病假", "事假", "离校", "返校", "入校", "外出就医"

# The 清明 holiday's leave home: asked and approved on 3月31日 and 4月1日,
# leaving on the afternoon of 4月1日, back on the planned return date.
ASKED_FROM = beijing(2022, 3, 31, 12, 0)
LEFT_FROM = beijing(2022, 4, 1, 13, 0)
PLANNED_RETURN = beijing(2022, 4, 24, 18, 0)
EXTENDED_TO = beijing(2022, 5, 8, 18, 0)

PARENTS = ("父亲", "母亲")
HOSPITALS = (
    ("山西医科大学第一医院", "口腔科复诊"),
    ("山西省人民医院", "眼科检查"),
    ("山西白求恩医院", "骨科复查"),
    ("太原市中心医院", "皮肤科就诊"),
    ("山西医科大学第二医院", "耳鼻喉科复诊"),
    ("山西省眼科医院", "验光配镜"),
)


@dataclass(frozen=True)
class Visit:
    """A hospital visit: its day, hours, and how the return was recorded."""

    day: int  # of April
    start: dt.time
    end: dt.time
    back: str  # "gate", "report" (销假 and its confirmation), "" (not back)
    own_class: bool = False  # one of 赵璞's students
    returned_first: bool = False


GATE, REPORT = "gate", "report"
APPROVED, REJECTED, RETURNED = (
    LeaveStep.Event.APPROVED,
    LeaveStep.Event.REJECTED,
    LeaveStep.Event.RETURNED,
)
VISITS = (
    Visit(3, dt.time(9), dt.time(12), GATE, own_class=True),
    Visit(5, dt.time(14), dt.time(17), GATE),
    Visit(7, dt.time(8, 30), dt.time(11, 30), REPORT, own_class=True),
    Visit(8, dt.time(9), dt.time(12), GATE, returned_first=True),
    Visit(10, dt.time(14), dt.time(16, 30), GATE),
    Visit(11, dt.time(9), dt.time(11), REPORT),
    Visit(12, dt.time(8, 30), dt.time(12), GATE, own_class=True),
    Visit(13, dt.time(14), dt.time(17), REPORT, own_class=True),
    Visit(14, dt.time(9), dt.time(12), GATE),
    # Late back: ended on 4月15日 in the evening, nobody back by the demo's now.
    Visit(15, dt.time(8, 30), dt.time(19), "", own_class=True),
)
RETURN_NOTE = "请写明就诊医院和科室，挂号单上的就诊时间为上午，请按实际时间修改。"
REJECT_HOME_NOTE = "封控期间暂停学生离校，且上海市为中高风险地区，请留校做好个人防护。"
REJECT_ERRAND_NOTE = "封控期间非必要不出校，银行卡业务请通过手机银行办理。"
RETURN_ERRAND_NOTE = "请写明往返时间和具体地址，并说明是否已与家长联系。"
REMINDED_LIMIT_HOURS = 24
ONE_DAY = dt.timedelta(days=1)
FEVER = Decimal("37.3")


Picker = Callable[[Callable[[Person], bool]], Person]


class Users:
    """Each acting person's login: made without a password when they have none."""

    def __init__(self) -> None:
        self.by_person = {
            user.person_id: user for user in User.objects.filter(person__isnull=False)
        }

    def __call__(self, person: Person) -> User:
        user = self.by_person.get(person.pk)
        if user is None:
            user = User.objects.create(
                username=person.number,
                person=person,
                password=make_password(None),
                date_joined=JOINED,
            )
            self.by_person[person.pk] = user
        return user


@dataclass
class Lockdown:
    """Who was where, from the stored check-ins."""

    home: dict[int, tuple[str, str]]
    campus_days: dict[int, set[dt.date]]
    checked_in: set[tuple[int, dt.date]]

    @classmethod
    def read(cls, demo: Demo) -> Lockdown:
        home: dict[int, tuple[str, str]] = {}
        campus_days: dict[int, set[dt.date]] = defaultdict(set)
        checked_in = set()
        rows = CheckIn.objects.filter(incident=demo.incident).values_list(
            "person_id", "date", "location", "province", "city"
        )
        for person_id, day, location, province, city in rows.order_by("date"):
            checked_in.add((person_id, day))
            if location == Location.HOME:
                home.setdefault(person_id, (province, city))
            elif location == Location.CAMPUS:
                campus_days[person_id].add(day)
        return cls(home, campus_days, checked_in)

    def always_on_campus(self, person: Person) -> bool:
        days = self.campus_days.get(person.pk, set())
        return person.pk not in self.home and len(days) >= (TODAY - FIRST_DAY).days


def _kinds(demo: Demo) -> dict[str, LeaveKind]:
    """The kinds and chains the leaders configure, and who holds the posts."""
    leader = demo.user(Role.LEADER)
    deputy, entry = Post.objects.create(name=DEPUTY_POST), Post.objects.create(name=ENTRY_POST)
    college, office = demo.units[COLLEGE], demo.units[OFFICE]
    actions.hold_post(deputy, college, demo.posts["党委副书记"], acting_user=leader)
    actions.hold_post(entry, college, demo.posts["办公室主任"], acting_user=leader)
    actions.hold_post(entry, office, demo.posts["党委副书记"], acting_user=leader)

    def counsellor() -> ChainStep:
        return ChainStep(approver=ChainStep.Approver.COUNSELLOR)

    def deputy_when_long_or_away() -> ChainStep:
        return ChainStep(
            approver=ChainStep.Approver.POST,
            post=deputy,
            over_working_days=LONGER_THAN,
            outside_city=TAIYUAN,
        )

    student, staff = LeaveKind.Who.STUDENTS, LeaveKind.Who.STAFF
    away, on_campus = LeaveKind.Whereabouts.AWAY, LeaveKind.Whereabouts.ON_CAMPUS
    table = (
        # name, who, whereabouts, destination, document, hours, chain
        # Sick leave is taken where one is, in the dorm mostly: no gate to pass.
        (SICK, student, on_campus, False, False, 12, [counsellor()]),
        (PERSONAL, student, away, True, False, 24, [counsellor(), deputy_when_long_or_away()]),
        (AWAY, student, away, True, False, 24, [counsellor(), deputy_when_long_or_away()]),
        (RETURN, student, on_campus, False, False, 48, [counsellor()]),
        (HOSPITAL, student, away, True, True, REMINDED_LIMIT_HOURS, [counsellor()]),
        (
            ENTRY,
            staff,
            on_campus,
            False,
            False,
            24,
            [ChainStep(approver=ChainStep.Approver.POST, post=entry)],
        ),
    )
    kinds = {}
    for position, (name, who, where, destination, document, hours, chain) in enumerate(table):
        kind = LeaveKind(
            name=name,
            who=who,
            whereabouts=where,
            needs_destination=destination,
            needs_attachment=document,
            decide_within_hours=hours,
            position=position + 1,
        )
        kinds[name] = actions.save_kind(kind, chain, acting_user=leader)
    return kinds


def _slip(person: Person, hospital: str, department: str, day: dt.date) -> SimpleUploadedFile:
    lines = [
        f"{hospital} 预约挂号单",
        f"患者：{person.name}",
        f"科室：{department}",
        f"就诊日期：{day.year}年{day.month}月{day.day}日",
    ]
    return SimpleUploadedFile("预约挂号单.pdf", one_page_pdf(lines), content_type="application/pdf")


class Story:
    """The requests as they happen: each action on the clock at its moment."""

    def __init__(self, demo: Demo, kinds: dict[str, LeaveKind], rng: random.Random):
        self.demo, self.kinds, self.rng = demo, kinds, rng
        self.user = Users()
        self.gate = demo.user(Role.GATE_KEEPER)
        self.counsellor_of = {cls.pk: cls.counsellor for cls in demo.classes}

    def counsellor(self, person: Person) -> User:
        counsellor = self.counsellor_of[person.admin_class_id or 0]
        if counsellor is None:
            raise ValueError(f"{person.name} has no counsellor")
        return self.user(counsellor)

    def ask(
        self,
        at: dt.datetime,
        person: Person,
        kind: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        reason: str,
        place: tuple[str, str] = ("", ""),
        address: str = "",
        files: Iterable = (),
    ) -> LeaveRequest:
        parent = self.rng.choice(PARENTS)
        with clock.standing_at(at):
            return actions.submit(
                LeaveRequest(
                    person=person,
                    kind=self.kinds[kind],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    province=place[0],
                    city=place[1],
                    address=address,
                    reason=reason,
                    contact_name=f"{person.name[0]}{parent}",
                    contact_phone=self.demo.faker.mobile(self.rng),
                ),
                list(files),
                acting_user=self.user(person),
            )

    def decide(
        self, at: dt.datetime, leave: LeaveRequest, outcome: str = APPROVED, note: str = ""
    ) -> LeaveRequest:
        """The decision of whoever the request waits on now."""
        if leave.approver is None:
            raise ValueError(f"{leave} waits on nobody")
        with clock.standing_at(at):
            return actions.decide(leave, outcome, note, acting_user=self.user(leave.approver))

    def approve_all(self, at: dt.datetime, leave: LeaveRequest) -> tuple[LeaveRequest, dt.datetime]:
        """Every step approves, each a while after the one before."""
        while leave.status == LeaveRequest.Status.PENDING:
            at = _working(at + dt.timedelta(minutes=self.rng.randint(20, 150)))
            leave = self.decide(at, leave)
        return leave, at

    def gate_pass(self, at: dt.datetime, leave: LeaveRequest) -> None:
        with clock.standing_at(at):
            actions.pass_gate(leave, acting_user=self.gate)

    def leave_campus(self, leave: LeaveRequest, approved: dt.datetime) -> None:
        """The exit through the gate, around the start and after the approval."""
        exit_at = leave.starts_at + self.minutes(-30, 10)
        self.gate_pass(max(exit_at, approved + self.minutes(5, 15)), leave)

    def back(self, leave: LeaveRequest, reported: dt.datetime) -> None:
        """销假, and the counsellor's confirmation when it came before the demo's now."""
        with clock.standing_at(reported):
            leave = actions.report_back(leave, acting_user=self.user(leave.person))
        confirmed = _working(reported + self.minutes(30, 14 * 60))
        if confirmed < NOW:
            with clock.standing_at(confirmed):
                actions.confirm_back(leave, acting_user=self.counsellor(leave.person))

    def minutes(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.randint(low, high))


def _working(moment: dt.datetime) -> dt.datetime:
    """The moment, or the next morning if it falls in the night."""
    local = moment.astimezone(clock.BEIJING)
    if local.hour < 8:
        return clock.at(local.date(), dt.time(8, 20))
    if local.hour >= 22:
        return clock.at(local.date() + dt.timedelta(days=1), dt.time(8, 20))
    return moment


def gate_keeper_login(demo: Demo) -> None:
    """The gate's login: a teacher who stayed on campus keeps the college's gate."""
    logins = {login.user.person_id for login in demo.logins}
    lockdown = Lockdown.read(demo)
    keeper = next(
        person
        for person in sorted(demo.teachers, key=lambda person: person.number)
        if person.pk not in logins and lockdown.always_on_campus(person)
    )
    with clock.standing_at(CONFIGURED_AT):
        user = demo.add_login(Role.GATE_KEEPER, keeper)
        grant_role(user, Role.GATE_KEEPER, acting_user=demo.user(Role.ADMIN))


def configure(demo: Demo) -> None:
    with clock.standing_at(CONFIGURED_AT):
        _kinds(demo)


def leave_requests(demo: Demo) -> None:
    """The requests of the term up to the demo's now, in the order of the story."""
    rng = demo.rng("leave")
    kinds = {kind.name: kind for kind in LeaveKind.objects.all()}
    story = Story(demo, kinds, rng)
    lockdown = Lockdown.read(demo)
    zhao = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    own = {cls.pk for cls in demo.classes if cls.counsellor_id == zhao.pk}
    logins = {login.user.person_id for login in demo.logins}
    campus = [
        s
        for s in demo.students
        if s.dorm_room_id and s.pk not in logins and lockdown.always_on_campus(s)
    ]
    rng.shuffle(campus)
    taken: set[int] = set()

    def pick(test: Callable[[Person], bool]) -> Person:
        person = next(s for s in campus if s.pk not in taken and test(s))
        taken.add(person.pk)
        return person

    _student_login_visit(demo, story)
    _went_home(demo, story, lockdown)
    _hospital_visits(story, lockdown, own, pick)
    _fevers(demo, story)
    _refused(story, pick)
    _entries(demo, story, lockdown)
    _waiting(demo, story, own, pick)


def _student_login_visit(demo: Demo, story: Story) -> None:
    """The student login's past pass: an eye check in March, through the gate."""
    student = demo.user(Role.STUDENT).person
    if student is None:
        raise ValueError("the student login has no person")
    day = dt.date(2022, 3, 15)
    hospital, department = HOSPITALS[5]
    leave = story.ask(
        beijing(2022, 3, 14, 20, 5),
        student,
        HOSPITAL,
        clock.at(day, dt.time(9)),
        clock.at(day, dt.time(11, 30)),
        f"{department}，已预约上午号。",
        (SHANXI, TAIYUAN),
        hospital,
        [_slip(student, hospital, department, day)],
    )
    leave = story.decide(beijing(2022, 3, 14, 20, 42), leave)
    story.gate_pass(beijing(2022, 3, 15, 8, 41), leave)
    story.gate_pass(beijing(2022, 3, 15, 11, 17), leave)


def _went_home(demo: Demo, story: Story, lockdown: Lockdown) -> None:
    """The 清明 leave of everyone whose check-ins say 在家, and one extension."""
    students = sorted(
        (s for s in demo.students if s.pk in lockdown.home), key=lambda person: person.number
    )
    extended = None
    for person in students:
        province, city = lockdown.home[person.pk]
        asked = ASKED_FROM + story.minutes(0, 10 * 60)
        leave = story.ask(
            asked,
            person,
            AWAY,
            LEFT_FROM + story.minutes(0, 5 * 60),
            PLANNED_RETURN,
            "清明节假期回家，按学校通知居家线上学习，返校时间以学校通知为准。",
            (province, city),
            "家中",
        )
        leave, approved = story.approve_all(asked, leave)
        if person.dorm_room_id:
            story.leave_campus(leave, approved)
        if extended is None and person.is_party_member and province == SHANXI:
            extended = leave
    if extended is not None:
        with clock.standing_at(beijing(2022, 4, 14, 19, 12)):
            change = actions.ask_change(
                extended,
                LeaveRequest.Change.EXTEND,
                "在社区参加疫情防控志愿服务，社区请求继续协助至5月初，申请延期返校。",
                EXTENDED_TO,
                acting_user=story.user(extended.person),
            )
        story.approve_all(beijing(2022, 4, 15, 8, 40), change)


def _hospital_visits(story: Story, lockdown: Lockdown, own: set[int], pick: Picker) -> None:
    for number, visit in enumerate(VISITS):
        day = dt.date(2022, 4, visit.day)
        late = not visit.back

        def fits(
            person: Person, visit: Visit = visit, day: dt.date = day, late: bool = late
        ) -> bool:
            in_own = person.admin_class_id in own
            if in_own != visit.own_class or day not in lockdown.campus_days[person.pk]:
                return False
            # The late one has not checked in this morning: he is not back.
            return not late or (
                person.gender == Person.Gender.MALE
                and (person.pk, TODAY) not in lockdown.checked_in
            )

        person = pick(fits)
        hospital, department = HOSPITALS[number % len(HOSPITALS)]
        asked = clock.at(day - dt.timedelta(days=1), dt.time(19)) + story.minutes(0, 150)
        starts_at, ends_at = clock.at(day, visit.start), clock.at(day, visit.end)
        place = (SHANXI, TAIYUAN)
        slip = [_slip(person, hospital, department, day)]
        if visit.returned_first:
            leave = story.ask(
                asked, person, HOSPITAL, starts_at, ends_at, "去医院看病。", place, files=slip
            )
            leave = story.decide(asked + story.minutes(30, 60), leave, RETURNED, RETURN_NOTE)
            leave.address = f"{hospital}{department}"
            leave.reason = f"{department}，已预约。"
            asked += story.minutes(90, 120)
            with clock.standing_at(asked):
                leave = actions.resubmit(leave, acting_user=story.user(person))
        else:
            leave = story.ask(
                asked,
                person,
                HOSPITAL,
                starts_at,
                ends_at,
                f"{department}，已预约。",
                place,
                f"{hospital}{department}",
                slip,
            )
        leave, approved = story.approve_all(asked, leave)
        story.leave_campus(leave, approved)
        if visit.back == GATE:
            story.gate_pass(ends_at - story.minutes(10, 50), leave)
        elif visit.back == REPORT:
            # Brought back by the 校医院's car through the service entrance, unscanned.
            story.back(leave, ends_at - story.minutes(10, 40))


def _fevers(demo: Demo, story: Story) -> None:
    """The fortnight's fevers ask 病假 for their days, approved within the hour."""
    first_days: dict[int, CheckIn] = {}
    rows = CheckIn.objects.filter(
        incident=demo.incident, date__lt=TODAY, temperature__gte=FEVER
    ).order_by("date", "person__number")
    for checkin in rows:
        first_days.setdefault(checkin.person_id, checkin)
    people = {person.pk: person for person in demo.students}
    for person_id, checkin in first_days.items():
        person = people.get(person_id)
        if person is None:
            continue
        asked = checkin.submitted_at + story.minutes(5, 30)
        start = clock.at(checkin.date, dt.time(8))
        leave = story.ask(
            asked,
            person,
            SICK,
            start,
            start + dt.timedelta(days=1, hours=14),
            f"发烧{checkin.temperature}℃，申请休息观察。",
        )
        leave, _approved = story.approve_all(asked, leave)
        story.back(leave, leave.ends_at - story.minutes(60, 180))


def _refused(story: Story, pick: Picker) -> None:
    """Going home to 上海 and an errand in town refused; another errand returned."""
    shanghai = city_choices("31")[0][0]
    person = pick(lambda person: True)
    leave = story.ask(
        beijing(2022, 4, 4, 10, 12),
        person,
        AWAY,
        beijing(2022, 4, 6, 8, 0),
        beijing(2022, 4, 20, 18, 0),
        "家中有事，申请回家。",
        ("31", shanghai),
        "家中",
    )
    story.decide(beijing(2022, 4, 4, 11, 3), leave, REJECTED, REJECT_HOME_NOTE)
    person = pick(lambda person: True)
    leave = story.ask(
        beijing(2022, 4, 9, 16, 30),
        person,
        PERSONAL,
        beijing(2022, 4, 10, 9, 0),
        beijing(2022, 4, 10, 12, 0),
        "去银行补办银行卡。",
        (SHANXI, TAIYUAN),
        "小店区",
    )
    story.decide(beijing(2022, 4, 9, 17, 25), leave, REJECTED, REJECT_ERRAND_NOTE)
    person = pick(lambda person: True)
    leave = story.ask(
        beijing(2022, 4, 14, 21, 5),
        person,
        PERSONAL,
        beijing(2022, 4, 17, 9, 0),
        beijing(2022, 4, 17, 17, 0),
        "回家取电脑。",
        (SHANXI, TAIYUAN),
    )
    story.decide(beijing(2022, 4, 15, 9, 14), leave, RETURNED, RETURN_ERRAND_NOTE)


def _entries(demo: Demo, story: Story, lockdown: Lockdown) -> None:
    """入校 for the duty roster's days on site that the check-ins place on campus,
    a stint at a time (a long one a week at a time), asked the evening before."""
    stints: list[tuple[int, list[dt.date]]] = []
    on_site = DutyDay.objects.filter(mode=DutyDay.Mode.ON_SITE, date__lte=TODAY)
    for person_id, day in on_site.order_by("person_id", "date").values_list("person_id", "date"):
        if day not in lockdown.campus_days.get(person_id, set()):
            continue
        last = stints[-1] if stints else None
        same_week = last and (last[1][-1] - FIRST_DAY).days // 7 == (day - FIRST_DAY).days // 7
        if last and last[0] == person_id and same_week and last[1][-1] == day - ONE_DAY:
            last[1].append(day)
        else:
            stints.append((person_id, [day]))
    people = {person.pk: person for person in demo.teachers + demo.staff}
    for person_id, days in sorted(stints, key=lambda stint: (stint[1][0], stint[0])):
        person = people[person_id]
        asked = clock.at(days[0] - dt.timedelta(days=1), dt.time(17)) + story.minutes(0, 60)
        leave = story.ask(
            asked,
            person,
            ENTRY,
            clock.at(days[0], dt.time(7)),
            clock.at(days[-1], dt.time(22)),
            "封控期间驻校值班。",
        )
        story.approve_all(asked, leave)


def _waiting(demo: Demo, story: Story, own: set[int], pick: Picker) -> None:
    """What waits on 赵璞 at the demo's now: today's fever's 病假, two hospital
    visits, one of them past its limit and reminded."""
    fever = (
        CheckIn.objects.filter(incident=demo.incident, date=TODAY, person__admin_class__in=own)
        .exclude(symptoms=[])
        .select_related("person")
        .first()
    )
    if fever is not None:
        asked = fever.submitted_at + story.minutes(5, 15)
        start = clock.at(TODAY, dt.time(8))
        story.ask(
            min(asked, NOW - dt.timedelta(minutes=5)),
            fever.person,
            SICK,
            start,
            start + dt.timedelta(days=2, hours=14),
            f"早上发烧{fever.temperature}℃，咳嗽，申请在宿舍休息。",
        )
    for asked, day, number in (
        (beijing(2022, 4, 15, 8, 10), dt.date(2022, 4, 17), 0),
        (beijing(2022, 4, 16, 8, 47), dt.date(2022, 4, 18), 2),
    ):
        person = pick(lambda person: person.admin_class_id in own)
        hospital, department = HOSPITALS[number]
        leave = story.ask(
            asked,
            person,
            HOSPITAL,
            clock.at(day, dt.time(9)),
            clock.at(day, dt.time(12)),
            f"{department}，已预约。",
            (SHANXI, TAIYUAN),
            f"{hospital}{department}",
            [_slip(person, hospital, department, day)],
        )
        if leave.waiting_since and leave.waiting_since + leave.kind.decide_within < NOW:
            _remind(leave)


def _remind(leave: LeaveRequest) -> None:
    """The reminder job's run at the moment the request passed its limit."""
    at = leave.waiting_since + leave.kind.decide_within if leave.waiting_since else NOW
    with clock.standing_at(at):
        timeouts.remind_and_escalate(at)


def settle_times(demo: Demo) -> None:
    """Every request, step, message and audit entry on its minute, the same on every build."""
    LeaveRequest.objects.update(
        submitted_at=on_the_minute("submitted_at"),
        decided_at=on_the_minute("decided_at"),
        waiting_since=on_the_minute("waiting_since"),
        reminded_at=on_the_minute("reminded_at"),
        left_at=on_the_minute("left_at"),
        back_at=on_the_minute("back_at"),
        back_reported_at=on_the_minute("back_reported_at"),
    )
    LeaveStep.objects.update(at=on_the_minute("at"))
    Message.objects.filter(kind=LEAVE).update(created_at=on_the_minute("created_at"))
    LogEntry.objects.filter(kind__startswith="leave.").update(timestamp=on_the_minute("timestamp"))
    RoleGrant.objects.filter(role=Role.GATE_KEEPER).update(granted_at=on_the_minute("granted_at"))


LEAVE_STEPS: tuple[Callable[[Demo], None], ...] = (
    gate_keeper_login,
    configure,
    leave_requests,
    settle_times,
)
