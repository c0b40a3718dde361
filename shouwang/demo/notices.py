"""The lockdown's teams, notices and instructions.

The seed's volunteer brigades (春蕾工程 and 红烛, under the league committee),
the student party members' vanguard post and work team, and the staff on duty.
Then the notices the college sent from 4月2日 to the demo's today, written and
published through the app's own actions, and read and acknowledged over the
following hours as people do: most within the first hours, a few late, a few
never. The newest instruction, of today, still waits for a third of the
college, so its author has names to remind. The notices that state what the
records hold are written from the records by the steps that make them: the
meal rounds' by `demo.care`, the testing of 4月16日 by `demo.volunteers`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, Subquery

from shouwang.accounts.models import Role
from shouwang.lib.clock import beijing
from shouwang.notices.actions import publish, send_notice_messages, write_notice
from shouwang.notices.audience import Audience, Kind
from shouwang.notices.message_kinds import NOTICE
from shouwang.notices.models import Notice, Receipt, Reminder
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.volunteers.models import Membership, Team

from .college import COLLEGE, COUNSELLOR_NAME
from .context import Demo
from .lockdown import NOW, duty_rota, on_campus_throughout

if TYPE_CHECKING:
    from shouwang.accounts.models import User

BRIGADES = ("春蕾工程志愿服务队", "红烛志愿服务队")
VANGUARD_POST = "学生党员先锋岗"
WORK_TEAM = "学生党员工作队"
DUTY_TEAM = "教职工值班组"
BRIGADE_SIZE = 24
# The vanguard post and the work team, each.
VANGUARD_SIZE = 12


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


def volunteer_teams(demo: Demo) -> None:
    """The teams of the seed, with their members and leads.

    The brigades, the vanguard post and the work team work on campus: their
    members are students who spent the lockdown there (the check-ins say
    so) and reported nothing abnormal, not the student login, isolated from
    4月12日; the seed's 18 party members at home serve their own communities.
    The duty team is the duty rota's."""
    rng = demo.rng("teams")
    college = demo.units[COLLEGE]
    volunteer = demo.user(Role.VOLUNTEER).person
    student = demo.user(Role.STUDENT).person
    if volunteer is None or student is None:
        raise ValueError("build_logins must run first")
    unwell = {checkin.person_id for checkin in demo.checkins if checkin.is_abnormal}
    at_school = on_campus_throughout(demo) - unwell - {volunteer.pk, student.pk}
    on_campus = [s for s in demo.students if s.pk in at_school]
    party_students = [s for s in on_campus if s.is_party_member]
    others = [s for s in on_campus if not s.is_party_member]
    teams: list[tuple[str, str, list[Person]]] = []
    brigade_members = rng.sample(others, 2 * BRIGADE_SIZE)
    for number, name in enumerate(BRIGADES):
        members = brigade_members[number * BRIGADE_SIZE : (number + 1) * BRIGADE_SIZE]
        teams.append((name, Team.Kind.BRIGADE, members))
    teams[0][2].insert(0, volunteer)  # the volunteer login leads 春蕾工程
    vanguard = [volunteer, *party_students[: VANGUARD_SIZE - 1]]
    teams.append((VANGUARD_POST, Team.Kind.VANGUARD_POST, vanguard))
    work_team = party_students[VANGUARD_SIZE - 1 : 2 * VANGUARD_SIZE - 1]
    teams.append((WORK_TEAM, Team.Kind.PARTY_WORK_TEAM, work_team))
    teams.append((DUTY_TEAM, Team.Kind.STAFF_DUTY, list(duty_rota(demo).members)))
    memberships = []
    for name, kind, members in teams:
        team = Team.objects.create(name=name, kind=kind, unit=college)
        demo.teams[name] = team
        memberships += [
            Membership(team=team, person=person, is_lead=position == 0)
            for position, person in enumerate(members)
        ]
    Membership.objects.bulk_create(memberships)


@dataclass
class Sent:
    """A notice as it went out and was taken in: of its recipients, the share
    who had read it and acknowledged it by the demo's now."""

    post: str
    at: dt.datetime
    title: str
    body: str
    audience: Callable[[Demo], Audience]
    deadline: dt.datetime | None = None
    read: float = 0.95
    acknowledged: float = 0.0
    # Hours after publication when the author pressed 催办.
    reminded_after: list[float] = field(default_factory=list)


def everyone(kind: str = Kind.ALL) -> Callable[[Demo], Audience]:
    return lambda demo: Audience(everyone=True, kind=kind)


def party_students(demo: Demo) -> Audience:
    return Audience(political_statuses=Person.PARTY_STATUSES, kind=Kind.STUDENTS)


def counsellors_classes(demo: Demo) -> Audience:
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    return Audience(classes=tuple(c.pk for c in demo.classes if c.counsellor == counsellor))


SECRETARY = "党委书记"
COUNSELLOR = f"辅导员{COUNSELLOR_NAME}"

NOTICES = [
    Sent(
        SECRETARY,
        _at(2, 8, 30),
        "关于启动疫情防控应急预案的通知",
        "根据学校统一部署，学院即日起启动疫情防控应急预案，实行校园封闭管理。\n"
        "全体师生保持通讯畅通，随时接收学院指令；在校学生不离开宿舍楼，校外师生不返校。\n"
        "请收到后点击“收到”确认。",
        everyone(),
        deadline=_at(2, 12),
        read=0.99,
        acknowledged=0.98,
        reminded_after=[2.5],
    ),
    Sent(
        SECRETARY,
        _at(2, 20),
        "关于做好全体学生每日健康打卡工作的通知",
        "自4月3日起，全体学生每天10:00前在“守望”完成健康打卡，如实填报所在地、健康状况和风险接触情况。\n"
        "辅导员每天10:00后核对本班未打卡名单并逐一联系。",
        everyone(Kind.STUDENTS),
        deadline=_at(3, 10),
        read=0.98,
        acknowledged=0.97,
        reminded_after=[12.5],
    ),
    Sent(
        SECRETARY,
        _at(3, 9),
        "关于教职工居家办公期间保持联络畅通的通知",
        "封控期间教职工居家办公，工作日8:30至17:30保持电话畅通，及时查看并确认学院通知和工作指令。",
        everyone(Kind.STAFF),
        deadline=_at(3, 18),
        read=1.0,
        acknowledged=1.0,
    ),
    Sent(
        "副院长（教学）",
        _at(5, 15),
        "关于4月6日起开展线上教学的通知",
        "自4月6日起，全院课程转为线上教学，授课教师按原课表通过腾讯会议、学习通开展教学，"
        "教学秘书每日汇总线上教学运行情况。",
        everyone(),
        read=0.93,
    ),
    Sent(
        SECRETARY,
        _at(6, 10),
        "致全体学生党员的倡议书",
        "全体学生党员要亮身份、作表率，主动参与志愿服务，协助维护核酸检测秩序，"
        "身在家乡的同学积极参加所在社区的疫情防控志愿服务。",
        party_students,
        deadline=_at(7, 12),
        read=0.98,
        acknowledged=0.96,
    ),
    Sent(
        COUNSELLOR,
        _at(13, 19),
        "关于提交居家学习情况说明的通知",
        "请居家的同学于4月14日22:00前提交居家学习情况说明，网络、设备有困难的同学在说明中写明。",
        counsellors_classes,
        deadline=_at(14, 22),
        read=0.97,
        acknowledged=0.95,
        reminded_after=[20.0],
    ),
]


def _after(rng: random.Random, start: dt.datetime, hours: float) -> dt.datetime:
    """A moment after `start`: most within the first hours, some much later."""
    return min(start + dt.timedelta(hours=rng.expovariate(1 / hours)), NOW)


def lockdown_notices(demo: Demo) -> None:
    rng = demo.rng("notices")
    for sent in NOTICES:
        send_notice(demo, sent, rng)


def send_notice(demo: Demo, sent: Sent, rng: random.Random) -> Notice:
    """Write, publish and play out one notice as it went out at `sent.at`."""
    users = {login.user.person_id: login.user for login in demo.logins}
    author = users.get(demo.posts[sent.post].pk, demo.user(Role.LEADER))
    notice = write_notice(
        title=sent.title,
        body=sent.body,
        audience=sent.audience(demo),
        requires_acknowledgement=sent.acknowledged > 0,
        deadline=sent.deadline,
        acting_user=author,
    )
    publish(notice, acting_user=author)
    Notice.objects.filter(pk=notice.pk).update(
        created_at=sent.at - dt.timedelta(minutes=20), published_at=sent.at
    )
    notice.refresh_from_db()
    send_notice_messages(notice)
    take_in(notice, sent, rng)
    for hours in sent.reminded_after:
        _remind(notice, author, sent.at + dt.timedelta(hours=hours))
    return notice


def take_in(notice: Notice, sent: Sent, rng: random.Random) -> None:
    """Read and acknowledged as people do, then the inbox to match (for a
    notice written by an app's own action, too)."""
    receipts = list(notice.receipts.order_by("person_id"))
    pace = (
        2.0
        if notice.deadline is None
        else max((notice.deadline - sent.at).total_seconds() / 3600 / 3, 0.5)
    )
    for receipt in receipts:
        if rng.random() < sent.read:
            receipt.read_at = _after(rng, sent.at, pace)
            if sent.acknowledged and rng.random() < sent.acknowledged / sent.read:
                receipt.acknowledged_at = _after(rng, receipt.read_at, pace / 4)
    Receipt.objects.bulk_update(receipts, ["read_at", "acknowledged_at"], batch_size=500)
    read_at = Receipt.objects.filter(notice=notice, person_id=OuterRef("recipient_id"))
    Message.objects.filter(kind=NOTICE, link=notice.get_absolute_url()).update(
        created_at=sent.at, read_at=Subquery(read_at.values("read_at"))
    )


def _remind(notice: Notice, author: User, at: dt.datetime) -> None:
    """A 催办 at `at`, to those who had not acknowledged by then."""
    outstanding = notice.receipts.filter(
        Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=at)
    )
    people = list(outstanding.values_list("person_id", flat=True))
    reminder = Reminder.objects.create(
        notice=notice, sent_at=at, sent_by=author, recipients=len(people)
    )
    Message.objects.bulk_create(
        Message(
            recipient_id=person_id,
            kind=REMINDER,
            title=f"提醒：{notice.title}",
            body="请阅读通知并点击“收到”。",
            link=notice.get_absolute_url(),
            key=f"notice-reminder:{reminder.pk}:{person_id}",
            created_at=at,
            read_at=at + dt.timedelta(minutes=30),
        )
        for person_id in people
    )


NOTICE_STEPS: tuple[Callable[[Demo], None], ...] = (volunteer_teams, lockdown_notices)
