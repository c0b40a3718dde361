"""Help requests in the lockdown: the problems students brought to the
undergraduate branch's "收集难题、逐一解决", each routed to the counsellor of
the student's class, taken, answered and (mostly) confirmed by the student.

A broken laptop for online classes, medicine carried by a volunteer, a lost
meal card, anxiety (seen by the psychological-support login), a job offer's
deadline, a staff member's request to the college office's desk; a few still
open, one overdue, one reopened and solved, one closed without confirmation,
and the student login's own request resolved and waiting for the student to
confirm it. Every request has an owner and a history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from shouwang.accounts.models import Role
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent, HelpRequestTask, UnitDesk
from shouwang.lib.clock import beijing
from shouwang.people.models import Person

from .college import OFFICE
from .context import Demo
from .lockdown import on_campus_throughout

if TYPE_CHECKING:
    from collections.abc import Iterable

S = HelpRequest.Status
K = HelpRequestEvent.Kind

# (day of April, hour, category, urgency, description, steps). A step is
# (hours after submission, what, text); "claim", "reply", "note", "progress",
# "resolve" are the handler's, "confirm" and "reopen" the requester's, "close"
# the app's own after the days allowed, "task" sends a volunteer.
Step = tuple[float, str, str]
SCRIPT: tuple[tuple[int, int, str, str, str, tuple[Step, ...]], ...] = (
    (
        3,
        9,
        "study",
        "high",
        "笔记本电脑主板坏了，开不了机，下周一开始的线上课没法上。",
        (
            (1, "claim", ""),
            (1.5, "reply", "别着急，学院有备用笔记本，我去协调。"),
            (3, "note", "教学科研办公室还有两台备用电脑，已登记借出一台。"),
            (20, "resolve", "备用笔记本已送到宿舍楼下，借用到返校维修完毕。"),
            (26, "confirm", ""),
        ),
    ),
    (
        5,
        21,
        "health",
        "urgent",
        "发烧38度，宿舍没有退烧药，想请人帮忙买布洛芬。",
        (
            (0.3, "claim", ""),
            (0.5, "task", "买一盒布洛芬送到宿舍门口"),
            (0.6, "reply", "已请志愿者去校医院取药，一小时内送到，有不舒服随时打电话。"),
            (1.5, "resolve", "志愿者已把药放在门口，校医已电话问诊。"),
            (2, "confirm", ""),
        ),
    ),
    (
        6,
        12,
        "living",
        "normal",
        "饭卡丢了，食堂吃不上饭，封控期间没法去卡务中心补办。",
        (
            (3, "claim", ""),
            (4, "reply", "已联系卡务中心远程挂失补办，补办前先用临时餐券。"),
            (30, "resolve", "新卡已由楼长转交。"),
            (31, "reopen", "新卡刷不了，食堂说没开通。"),
            (33, "claim", ""),
            (36, "resolve", "卡务中心已开通，已在食堂试刷成功。"),
            (37, "confirm", ""),
        ),
    ),
    (
        8,
        22,
        "psychological",
        "high",
        "封控以来一直失眠，很焦虑，担心毕业论文进度。",
        (
            (1, "claim", ""),
            (1.2, "reply", "谢谢你愿意说出来。明天上午我们视频聊聊好吗？"),
            (12, "note", "视频聊了半小时，已征得同意联系心理中心老师。"),
            (40, "progress", "每周两次视频交流。"),
        ),
    ),
    (
        9,
        10,
        "employment",
        "urgent",
        "签约单位要求4月12日前寄回三方协议，学校封控寄不出去。",
        (
            (1, "claim", ""),
            (2, "reply", "就业办可以先出具电子版协议并盖章，我帮你联系单位确认。"),
            (20, "resolve", "电子三方已盖章发给单位，单位已确认收到。"),
            (22, "confirm", ""),
        ),
    ),
    (
        6,
        15,
        "supplies",
        "normal",
        "宿舍卫生纸和洗衣液用完了，超市一直关着。",
        (
            (5, "claim", ""),
            (6, "reply", "学院采购了一批生活用品，今晚统一发放。"),
            # The office keeps the store: it turns the request into a supply
            # request and issues it (demo.supplies).
            (6.2, "pass", "学院采购的生活用品由学院办公室统一发放"),
        ),
    ),
    (
        12,
        8,
        "finance",
        "normal",
        "家里因疫情收入减少，下学期学费有困难。",
        (
            (4, "claim", ""),
            (5, "reply", "可以申请临时困难补助，材料清单发你了。"),
            (48, "progress", "材料已齐，等待学院审核。"),
        ),
    ),
    (
        13,
        20,
        "study",
        "normal",
        "宿舍网络晚上经常断，网课掉线。",
        (
            (2, "claim", ""),
            (3, "resolve", "已报网络中心，更换了楼层交换机。"),
        ),
    ),
    (14, 9, "other", "normal", "想申请回家，需要什么手续？", ()),
    (11, 8, "living", "high", "宿舍热水器坏了，已经三天没有热水。", ()),
)
STAFF_REQUEST = ("supplies", "normal", "办公室打印机硒鼓用完了，线上教学资料无法打印。")


def _at(day: int, hour: int) -> dt.datetime:
    return beijing(2022, 4, day, hour, 0)


def build_requests(demo: Demo) -> None:
    rng = demo.rng("helpdesk")
    office = demo.units[OFFICE]
    office_head = demo.posts["办公室主任"]
    UnitDesk.objects.create(unit=office, handler=office_head)
    volunteer = demo.user(Role.VOLUNTEER).person
    login_student = demo.user(Role.STUDENT).person
    if volunteer is None or login_student is None:
        raise ValueError("the demo's student and volunteer logins must have people")
    counsellor_of: dict[int | None, Person | None] = {
        cls.pk: cls.counsellor for cls in demo.classes if cls.counsellor_id
    }
    # Their rooms, the canteen and the dorm's network: students at school.
    at_school = on_campus_throughout(demo)
    students = [s for s in demo.students if s.admin_class_id in counsellor_of and s.pk in at_school]
    people = rng.sample([s for s in students if s != login_student], len(SCRIPT))
    # The student login's own laptop request, so the walkthrough can confirm it.
    people[0] = login_student
    requests: list[HelpRequest] = []
    plans = []
    for person, (day, hour, category, urgency, text, steps) in zip(people, SCRIPT, strict=True):
        handler = counsellor_of[person.admin_class_id]
        requests.append(
            HelpRequest(
                requester=person,
                category=category,
                urgency=urgency,
                description=text,
                handler=handler,
                created_at=_at(day, hour) + dt.timedelta(minutes=rng.randint(0, 50)),
            )
        )
        plans.append(steps)
    staff = demo.posts["党委副书记"]
    category, urgency, text = STAFF_REQUEST
    requests.append(
        HelpRequest(
            requester=staff,
            category=category,
            urgency=urgency,
            description=text,
            handler=demo.posts["办公室主任"],
            created_at=_at(7, 9),
        )
    )
    # Taken by the office, which keeps the store and issues it (demo.supplies).
    plans.append(((2, "claim", ""),))
    # The login's laptop: resolved yesterday, for the student to confirm.
    plans[0] = plans[0][:3] + ((12 * 24 + 8, "resolve", plans[0][3][2]),)
    HelpRequest.objects.bulk_create(requests)
    events: list[HelpRequestEvent] = []
    tasks: list[HelpRequestTask] = []
    for help_request, steps in zip(requests, plans, strict=True):
        events += _play(help_request, steps, volunteer, tasks, office_head)
    HelpRequest.objects.bulk_update(
        requests, ["status", "handler", "first_response_at", "resolved_at", "closed_at"]
    )
    HelpRequestEvent.objects.bulk_create(events)
    HelpRequestTask.objects.bulk_create(tasks)


def _play(
    help_request: HelpRequest,
    steps: Iterable[tuple[float, str, str]],
    volunteer: Person,
    tasks: list[HelpRequestTask],
    office_head: Person,
) -> list[HelpRequestEvent]:
    start = help_request.created_at
    handler, requester = help_request.handler, help_request.requester
    events = [
        HelpRequestEvent(request=help_request, kind=K.SUBMITTED, actor=requester, at=start),
        HelpRequestEvent(
            request=help_request, kind=K.ASSIGNED, at=start, text=handler.name if handler else ""
        ),
    ]
    for hours, what, text in steps:
        at = start + dt.timedelta(hours=hours)
        if what in ("claim", "reply", "progress", "resolve") and not help_request.first_response_at:
            help_request.first_response_at = at
        if what == "claim":
            help_request.status = S.ACCEPTED
            events.append(
                HelpRequestEvent(request=help_request, kind=K.CLAIMED, actor=handler, at=at)
            )
        elif what in ("reply", "note"):
            internal = what == "note"
            kind = K.NOTE if internal else K.REPLY
            events.append(
                HelpRequestEvent(
                    request=help_request,
                    kind=kind,
                    actor=handler,
                    at=at,
                    text=text,
                    internal=internal,
                )
            )
        elif what in ("progress", "resolve"):
            help_request.status = S.IN_PROGRESS if what == "progress" else S.RESOLVED
            if what == "resolve":
                help_request.resolved_at = at
            label = HelpRequest.Status(help_request.status).label
            events.append(
                HelpRequestEvent(
                    request=help_request,
                    kind=K.STATUS,
                    actor=handler,
                    at=at,
                    text=f"{label}：{text}",
                )
            )
        elif what == "pass":
            events.append(
                HelpRequestEvent(
                    request=help_request,
                    kind=K.ASSIGNED,
                    actor=handler,
                    at=at,
                    text=f"{office_head.name}：{text}",
                )
            )
            help_request.handler = office_head
        elif what == "confirm":
            help_request.status, help_request.closed_at = S.CONFIRMED, at
            events.append(
                HelpRequestEvent(request=help_request, kind=K.CONFIRMED, actor=requester, at=at)
            )
        elif what == "reopen":
            help_request.status, help_request.resolved_at = S.REOPENED, None
            events.append(
                HelpRequestEvent(
                    request=help_request, kind=K.REOPENED, actor=requester, at=at, text=text
                )
            )
        elif what == "close":
            help_request.status, help_request.closed_at = S.CLOSED, at
            events.append(
                HelpRequestEvent(
                    request=help_request, kind=K.CLOSED, at=at, text="7天内未确认，自动关闭"
                )
            )
        elif what == "task":
            tasks.append(
                HelpRequestTask(
                    request=help_request,
                    assignee=volunteer,
                    what=text,
                    # The requester's own door.
                    where=str(help_request.requester.dorm_room or ""),
                    created_at=at,
                    done_at=at + dt.timedelta(minutes=50),
                )
            )
            events.append(
                HelpRequestEvent(
                    request=help_request,
                    kind=K.TASK,
                    actor=handler,
                    at=at,
                    text=f"{volunteer.name}：{text}",
                    internal=True,
                )
            )
    return events


HELPDESK_STEPS: list[Callable[[Demo], None]] = [build_requests]
