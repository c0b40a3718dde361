"""The seed's online job fairs: "学院团委牵头，已举办网络双选会两场，共计360余人次参与".

The league committee's secretary (团委书记, 付琳) runs them with the employment
office's role. From 4月6日 she entered the employers the college works with —
banks, telecoms, software houses and platforms of Shanxi and beyond — and
their positions for the college's majors, and on 4月8日 set up two fairs on 腾讯会议:
4月12日 (Tuesday) morning and 4月14日 (Thursday) afternoon, fourteen and
thirteen employers' video rooms. The secretary of the party committee
announced them to the graduating classes on 4月9日, the notice and its copy on
the bulletin written from the fair records; graduates of the 2022 cohort
registered until the fairs began.

During each fair some graduates typed the code their employer's room showed;
after it, the secretary brought in each room's 参会成员明细 from 腾讯会议 (as
.xlsx or .csv, nicknames with or without the student's number, the
employers' own staff, reconnections), checked and committed through the
import, so that each graduate counts once per room whether seen in the file,
by the code, or both. The participations computed come to 360余人次, and the
article the party committee published that evening says so, written from
the counts. Offers followed; a few were accepted with the signed agreement,
each a destination report waiting for the counsellor.

The graduates (the 2022 cohort) are taken from the roster at the start
(`careers.actions.enrol_cohort` adds only those not yet graduates), so this
step stands alone or after the one that records their destinations.
Everything goes through the apps' actions on the demo's clock set back to
the moment it happened; the room codes and links come from the step's own
random generator, so that every build is the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role, User
from shouwang.bulletin.models import Article
from shouwang.careers import actions, fair_attendance, report
from shouwang.careers.models import (
    Destination,
    Employer,
    FairAttendanceImport,
    FairEmployer,
    Graduate,
    JobFair,
    Offer,
    Position,
)
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.notices.actions import send_notice_messages
from shouwang.notices.models import Notice
from shouwang.people.models import Person

from .college import COLLEGE, SCENARIO_YEAR
from .context import Demo
from .files import one_page_pdf
from .lockdown import NOW
from .notices import SECRETARY, Sent, everyone, take_in

COHORT = SCENARIO_YEAR
ORGANISER = "学院团委"
RUNNER = "团委书记"
PLATFORM = "腾讯会议"
# The two fairs: (title, day, starts, ends, rooms, participations).
FIRST_DAY, SECOND_DAY = dt.date(2022, 4, 12), dt.date(2022, 4, 14)
FAIRS = (
    ("2022届毕业生网络双选会（第一场）", FIRST_DAY, dt.time(9), dt.time(12), 14, 198),
    ("2022届毕业生网络双选会（第二场）", SECOND_DAY, dt.time(14), dt.time(17), 13, 166),
)
# A 腾讯会议 参会成员明细's columns.
HEADER = ["序号", "用户昵称", "会中昵称", "入会时间", "退会时间", "参会时长", "入会身份"]
ENROLLED_AT = beijing(2022, 3, 1, 9, 0)
GRANTED_AT = beijing(2022, 4, 6, 8, 30)
EMPLOYERS_AT = beijing(2022, 4, 6, 14, 0)
FAIRS_AT = beijing(2022, 4, 8, 15, 0)
ANNOUNCED_AT = beijing(2022, 4, 9, 10, 0)
NEWS_AT = beijing(2022, 4, 14, 18, 30)

# Of a fair's participations, those seen only by the room's code (the
# graduate joined under a nickname without their number), and those seen both ways.
CODE_ONLY = 0.1
BOTH = 0.15
# Of the registered, the share who register for each fair.
REGISTERING = (0.72, 0.66)

CS, IM, EC, DS = "计算机科学与技术", "信息管理与信息系统", "电子商务", "数据科学与大数据技术"
MS, LIS, EI = "管理科学与工程", "图书情报", "电子信息"


@dataclass(frozen=True)
class Job:
    title: str
    majors: tuple[str, ...]
    salary: tuple[int, int]
    openings: int
    city: str = ""


@dataclass(frozen=True)
class Firm:
    name: str
    sector: str
    city: str
    contact: str
    jobs: tuple[Job, ...]


FIRMS = (
    Firm(
        "山西云时代技术有限公司",
        "信息技术",
        "太原",
        "王经理",
        (
            Job("Java开发工程师", (CS, EI), (6000, 9000), 6),
            Job("大数据开发工程师", (DS, CS), (7000, 10000), 4),
        ),
    ),
    Firm(
        "中国移动通信集团山西有限公司",
        "通信",
        "太原",
        "李经理",
        (
            Job("IT支撑岗", (CS, IM, EI), (6000, 8000), 8),
            Job("市场经营岗", (EC, IM), (5000, 7000), 6),
        ),
    ),
    Firm(
        "中国联合网络通信有限公司山西省分公司",
        "通信",
        "太原",
        "赵经理",
        (
            Job("云计算工程师", (CS, EI), (6000, 8500), 4),
            Job("政企客户经理", (EC, IM, MS), (5000, 8000), 5),
        ),
    ),
    Firm(
        "中国电信股份有限公司山西分公司",
        "通信",
        "太原",
        "刘经理",
        (
            Job("网络运维工程师", (CS, EI), (5500, 8000), 5),
            Job("数据分析师", (DS, IM), (6000, 8500), 3),
        ),
    ),
    Firm(
        "晋商银行股份有限公司",
        "金融",
        "太原",
        "张经理",
        (
            Job("金融科技岗", (CS, DS, IM), (7000, 11000), 6),
            Job("综合柜员", (), (5000, 7000), 10),
        ),
    ),
    Firm(
        "山西省农村信用社联合社",
        "金融",
        "太原",
        "孙经理",
        (Job("信息科技岗", (CS, DS, EI), (6500, 9000), 8),),
    ),
    Firm(
        "中国银行股份有限公司山西省分行",
        "金融",
        "太原",
        "周经理",
        (
            Job("科技研发岗", (CS, DS), (7000, 10000), 4),
            Job("客户经理", (EC, IM, MS), (6000, 9000), 6),
        ),
    ),
    Firm(
        "中国建设银行股份有限公司山西省分行",
        "金融",
        "太原",
        "吴经理",
        (Job("金融科技岗", (CS, DS, IM, EI), (7000, 10000), 5),),
    ),
    Firm(
        "山西证券股份有限公司",
        "金融",
        "太原",
        "郑经理",
        (
            Job("量化分析助理", (DS, MS), (8000, 12000), 2),
            Job("信息技术岗", (CS, IM), (7000, 10000), 3),
        ),
    ),
    Firm(
        "中国人寿保险股份有限公司山西省分公司",
        "金融",
        "太原",
        "冯经理",
        (Job("数据运营专员", (DS, IM, EC), (5000, 7500), 4),),
    ),
    Firm(
        "华为技术有限公司",
        "信息技术",
        "深圳",
        "陈经理",
        (
            Job("软件开发工程师", (CS, EI, DS), (15000, 22000), 10, "西安"),
            Job("技术支持工程师", (CS, EI), (10000, 14000), 6, "西安"),
        ),
    ),
    Firm(
        "北京京东世纪贸易有限公司",
        "互联网",
        "北京",
        "褚经理",
        (
            Job("电商运营管培生", (EC, IM), (9000, 13000), 8),
            Job("数据分析师", (DS, IM, MS), (12000, 18000), 4),
        ),
    ),
    Firm(
        "阿里巴巴（中国）有限公司",
        "互联网",
        "杭州",
        "卫经理",
        (
            Job("前端开发工程师", (CS,), (15000, 22000), 4),
            Job("电商产品运营", (EC,), (10000, 15000), 5),
        ),
    ),
    Firm(
        "北京三快在线科技有限公司",
        "互联网",
        "北京",
        "蒋经理",
        (
            Job("后端开发工程师", (CS, EI), (15000, 21000), 5),
            Job("商业分析师", (DS, EC, MS), (12000, 16000), 3),
        ),
    ),
    Firm(
        "上海寻梦信息技术有限公司",
        "电子商务",
        "上海",
        "沈经理",
        (Job("运营管培生", (EC, IM), (12000, 16000), 6),),
    ),
    Firm(
        "浪潮软件集团有限公司",
        "信息技术",
        "济南",
        "韩经理",
        (
            Job("软件测试工程师", (CS, IM), (6000, 9000), 6),
            Job("实施顾问", (IM, MS), (6000, 8500), 5, "太原"),
        ),
    ),
    Firm(
        "东软集团股份有限公司",
        "信息技术",
        "沈阳",
        "杨经理",
        (Job("Java开发工程师", (CS, EI), (7000, 10000), 8, "大连"),),
    ),
    Firm(
        "中软国际有限公司",
        "信息技术",
        "北京",
        "朱经理",
        (
            Job("软件开发工程师", (CS, EI, DS), (7000, 11000), 10, "西安"),
            Job("软件测试工程师", (CS, IM), (6000, 9000), 6, "西安"),
        ),
    ),
    Firm(
        "用友网络科技股份有限公司",
        "信息技术",
        "北京",
        "秦经理",
        (Job("ERP实施顾问", (IM, MS, EC), (7000, 10000), 6),),
    ),
    Firm(
        "金蝶软件（中国）有限公司",
        "信息技术",
        "深圳",
        "尤经理",
        (Job("财务软件实施顾问", (IM, MS), (6500, 9500), 5, "太原"),),
    ),
    Firm(
        "科大讯飞股份有限公司",
        "人工智能",
        "合肥",
        "许经理",
        (
            Job("算法工程师", (CS, DS, EI), (15000, 22000), 3),
            Job("教育行业解决方案专员", (IM, LIS), (7000, 10000), 3),
        ),
    ),
    Firm(
        "神州数码系统集成服务有限公司",
        "信息技术",
        "北京",
        "何经理",
        (Job("系统集成工程师", (CS, EI), (7000, 10000), 5),),
    ),
    Firm(
        "山西潞安化工集团有限公司",
        "能源化工",
        "长治",
        "吕经理",
        (Job("信息中心技术员", (CS, IM, EI), (5000, 7000), 4),),
    ),
    Firm(
        "太原重工股份有限公司",
        "装备制造",
        "太原",
        "施经理",
        (Job("信息化专员", (CS, IM, MS), (5000, 7500), 3),),
    ),
    Firm(
        "山西出版传媒集团有限责任公司",
        "文化传媒",
        "太原",
        "张主任",
        (Job("数字出版与信息管理岗", (LIS, IM), (5000, 7000), 3),),
    ),
    Firm(
        "华夏银行股份有限公司太原分行",
        "金融",
        "太原",
        "孔经理",
        (Job("管理培训生", (), (6000, 9000), 6),),
    ),
)
FIRMS_BY_NAME = {firm.name: firm for firm in FIRMS}
# The employers of each fair, by their place in FIRMS: the banks and telecoms
# come to both.
ROOMS = (
    (0, 1, 2, 4, 5, 6, 10, 11, 15, 17, 18, 20, 22, 24),
    (1, 3, 4, 7, 8, 9, 12, 13, 14, 16, 19, 21, 25),
)
# Offers after the fairs: (fair, firm, job, offered on, answer).
OFFERS = (
    (0, 4, 0, dt.date(2022, 4, 13), Destination.AGREEMENT),
    (0, 6, 1, dt.date(2022, 4, 13), Destination.AGREEMENT),
    (0, 17, 0, dt.date(2022, 4, 13), None),
    (0, 1, 0, dt.date(2022, 4, 14), Destination.CONTRACT),
    (0, 20, 0, dt.date(2022, 4, 14), "declined"),
    (1, 3, 1, dt.date(2022, 4, 15), Destination.AGREEMENT),
    (1, 8, 1, dt.date(2022, 4, 15), None),
    (1, 13, 0, dt.date(2022, 4, 15), None),
    (1, 16, 0, dt.date(2022, 4, 15), None),
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.at(day, dt.time(hour, minute))


def _runner(demo: Demo) -> User:
    """The employment office's login: the one another step made, or the league
    committee secretary's, given the role."""
    made = next((login.user for login in demo.logins if login.role == Role.EMPLOYMENT_OFFICE), None)
    if made is not None:
        return made
    person = demo.posts[RUNNER]
    user = User.objects.filter(person=person).first() or demo.add_login(
        Role.EMPLOYMENT_OFFICE, person
    )
    if not user.has_role(Role.EMPLOYMENT_OFFICE):
        with clock.standing_at(GRANTED_AT):
            grant_role(user, Role.EMPLOYMENT_OFFICE, acting_user=demo.user(Role.ADMIN))
        user.refresh_from_db()
    return user


def _code(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(actions.CODE_ALPHABET) for _ in range(length))


def employers(demo: Demo) -> dict[str, Employer]:
    """The employers and their positions, as the runner entered them (an
    employer already in the app, from an employer list, is taken as it is)."""
    runner = _runner(demo)
    made: dict[str, Employer] = {}
    for number, firm in enumerate(FIRMS):
        with clock.standing_at(EMPLOYERS_AT + dt.timedelta(minutes=6 * number)):
            employer = Employer.objects.filter(name=firm.name).first() or actions.save_employer(
                Employer(
                    name=firm.name,
                    sector=firm.sector,
                    city=firm.city,
                    contact_name=firm.contact,
                    contact_phone=f"0351-{7000000 + 137 * number}",
                ),
                acting_user=runner,
            )
            for job in firm.jobs:
                if employer.positions.filter(title=job.title).exists():
                    continue
                actions.save_position(
                    Position(
                        employer=employer,
                        title=job.title,
                        city=job.city or firm.city,
                        salary_min=job.salary[0],
                        salary_max=job.salary[1],
                        openings=job.openings,
                        deadline=dt.date(2022, 5, 31),
                    ),
                    job.majors,
                    acting_user=runner,
                )
        made[firm.name] = employer
    return made


def _fairs(demo: Demo, rng: random.Random, firms: dict[str, Employer]) -> list[JobFair]:
    runner = _runner(demo)
    fairs = []
    for number, (title, day, starts, ends, _rooms, _times) in enumerate(FAIRS):
        with clock.standing_at(FAIRS_AT + dt.timedelta(minutes=20 * number)):
            fair = actions.save_fair(
                JobFair(
                    title=title,
                    unit=demo.units[COLLEGE],
                    organiser=ORGANISER,
                    held_on=day,
                    starts_at=starts,
                    ends_at=ends,
                    platform=PLATFORM,
                    link=f"https://meeting.tencent.com/dm/{_code(rng, 12)}",
                    description="各用人单位在各自的腾讯会议直播间宣讲、答疑并在线面试；"
                    "进入直播间后请将入会昵称改为“学号+姓名”，并输入直播间内显示的签到码。",
                ),
                acting_user=runner,
            )
            for place in ROOMS[number]:
                employer = firms[FIRMS[place].name]
                room = actions.save_room(
                    fair,
                    employer,
                    room_link=f"https://meeting.tencent.com/dm/{_code(rng, 12)}",
                    positions=list(employer.positions.all()),
                    acting_user=runner,
                )
                # Drawn from the step's generator, not the system's: the same every build.
                FairEmployer.objects.filter(pk=room.pk).update(
                    room_code=_code(rng, actions.CODE_LENGTH)
                )
        fairs.append(fair)
    return fairs


def _announce(demo: Demo, fairs: Sequence[JobFair], rng: random.Random) -> None:
    """The notice of both fairs, written from their records, to the graduating
    classes and on the bulletin, at ANNOUNCED_AT to the minute."""
    leader = demo.user(Role.LEADER)
    with clock.standing_at(ANNOUNCED_AT):
        announced = report.announce_fairs(
            JobFair.objects.filter(pk__in=[fair.pk for fair in fairs]), acting_user=leader
        )
    notice = announced.notice
    Notice.objects.filter(pk=notice.pk).update(
        created_at=ANNOUNCED_AT - dt.timedelta(minutes=20), published_at=ANNOUNCED_AT
    )
    notice.refresh_from_db()
    send_notice_messages(notice)
    take_in(notice, Sent(SECRETARY, ANNOUNCED_AT, notice.title, "", everyone(), read=0.9), rng)
    if announced.article is not None:
        Article.objects.filter(pk=announced.article.pk).update(
            published_at=ANNOUNCED_AT,
            created_at=ANNOUNCED_AT - dt.timedelta(minutes=20),
            changed_at=ANNOUNCED_AT,
            views=rng.randint(500, 800),
        )


def _register(
    fairs: Sequence[JobFair], graduates: list[Person], runner: User, rng: random.Random
) -> list[list[Person]]:
    """Graduates register between the notice and each fair's start (the
    runner's login stands in for theirs: the registration is the graduate's)."""
    registered = []
    for fair, share in zip(fairs, REGISTERING, strict=True):
        chosen = sorted(
            rng.sample(graduates, round(len(graduates) * share)), key=lambda p: p.number
        )
        window = (fair.starts - ANNOUNCED_AT).total_seconds()
        moments = sorted(
            ANNOUNCED_AT + dt.timedelta(seconds=window * rng.random() ** 2) for _ in chosen
        )
        for person, moment in zip(rng.sample(chosen, len(chosen)), moments, strict=True):
            with clock.standing_at(moment):
                actions.register(fair, person, acting_user=runner)
        registered.append(chosen)
    return registered


@dataclass(frozen=True)
class Seen:
    """One graduate in one room, and how the platform and the code saw them."""

    person: Person
    room: FairEmployer
    in_file: bool
    by_code: bool
    joined: dt.datetime
    minutes: int


def _participations(
    fair: JobFair,
    rooms: list[FairEmployer],
    registered: list[Person],
    times: int,
    rng: random.Random,
) -> list[Seen]:
    """Exactly `times` graduates-in-rooms among the registered, one to three rooms each."""
    pairs: list[tuple[Person, FairEmployer]] = []
    for person in rng.sample(registered, len(registered)):
        visits = rng.choices((1, 2, 3), weights=(0.45, 0.35, 0.2))[0]
        pairs += [(person, room) for room in rng.sample(rooms, visits)]
        if len(pairs) >= times:
            break
    seen = []
    span = int((fair.ends - fair.starts).total_seconds() // 60)
    for person, room in pairs[:times]:
        roll = rng.random()
        start = rng.randrange(0, span - 20)
        seen.append(
            Seen(
                person,
                room,
                in_file=roll >= CODE_ONLY,
                by_code=roll < CODE_ONLY + BOTH,
                joined=fair.starts + dt.timedelta(minutes=start, seconds=rng.randrange(60)),
                minutes=rng.randint(8, min(90, span - start)),
            )
        )
    return seen


def _nickname(person: Person, rng: random.Random, with_number: bool) -> str:
    if not with_number:
        return rng.choice((person.name, f"{person.name}（手机）", f"{person.name[-1]}同学"))
    form = rng.randrange(4)
    if form == 0:
        return f"{person.number}{person.name}"
    if form == 1:
        return f"{person.name}-{person.number}"
    if form == 2:
        return f"{person.name} {person.number}"
    class_name = person.admin_class.name if person.admin_class else ""
    return f"{class_name} {person.name} {person.number}"


def _export_rows(
    room: FairEmployer, seen: list[Seen], strangers: list[Person], rng: random.Random
) -> list[list[object]]:
    """The room's 参会成员明细: the graduates the file sees (a few twice, after a
    dropped connection), the employer's own staff, and a student of a lower
    grade who looked in."""
    fair = room.fair
    entries: list[tuple[dt.datetime, str, str, int]] = []
    for item in seen:
        nickname = _nickname(item.person, rng, with_number=item.in_file)
        if item.minutes > 30 and rng.random() < 0.15:
            first = item.minutes // 2
            entries.append((item.joined, nickname, item.person.name, first))
            back = item.joined + dt.timedelta(minutes=first + rng.randint(1, 4))
            entries.append((back, nickname, item.person.name, item.minutes - first))
        else:
            entries.append((item.joined, nickname, item.person.name, item.minutes))
    span = int((fair.ends - fair.starts).total_seconds() // 60)
    host = FIRMS_BY_NAME[room.employer.name].contact
    entries.append((fair.starts - dt.timedelta(minutes=10), f"HR-{host}", host, span + 10))
    for stranger in strangers:
        start = fair.starts + dt.timedelta(minutes=rng.randrange(30, 90))
        entries.append(
            (start, f"{stranger.number}{stranger.name}", stranger.name, rng.randint(5, 20))
        )
    entries.sort(key=lambda entry: entry[0])
    rows = []
    for number, (joined, nickname, name, minutes) in enumerate(entries, start=1):
        left = joined + dt.timedelta(minutes=minutes)
        rows.append(
            [
                number,
                nickname,
                name,
                f"{joined.astimezone(clock.BEIJING):%Y-%m-%d %H:%M:%S}",
                f"{left.astimezone(clock.BEIJING):%Y-%m-%d %H:%M:%S}",
                f"{minutes}分钟" if minutes < 60 else f"{minutes // 60}小时{minutes % 60}分钟",
                rng.choice(("手机", "电脑", "手机")),
            ]
        )
    return rows


def _export_file(room: FairEmployer, rows: list[list[object]], as_csv: bool) -> SimpleUploadedFile:
    """The export as 腾讯会议 downloads it: the meeting's lines, then the table."""
    fair = room.fair
    head = [
        [f"会议主题：{fair.title} {room.employer.name}直播间"],
        [f"会议时间：{fair.held_on:%Y-%m-%d} {fair.starts_at:%H:%M} - {fair.ends_at:%H:%M}"],
        [],
        HEADER,
    ]
    name = f"参会成员明细_{room.employer.name}"
    if as_csv:
        text = io.StringIO()
        csv.writer(text).writerows([*head, *rows])
        return SimpleUploadedFile(f"{name}.csv", text.getvalue().encode("utf-8-sig"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("参会成员明细")
    for row in [*head, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(f"{name}.xlsx", out.getvalue())


def _bring_in(
    room: FairEmployer, upload: SimpleUploadedFile, at: dt.datetime, runner: User
) -> None:
    """Check and commit a room's file as the import's jobs do, at `at`."""
    with clock.standing_at(at):
        item = FairAttendanceImport.objects.create(
            room=room, file=upload, filename=upload.name or "", uploaded_by=runner
        )
        fair_attendance.check(item)
    with clock.standing_at(at + dt.timedelta(minutes=2)):
        fair_attendance.commit(item, acting_user=runner)
    # auto_now_add stamps the real time; the upload was the demo's.
    FairAttendanceImport.objects.filter(pk=item.pk).update(
        created_at=at, committed_at=at + dt.timedelta(minutes=2)
    )


def _hold(
    demo: Demo,
    fair: JobFair,
    registered: list[Person],
    times: int,
    strangers: list[Person],
    rng: random.Random,
) -> None:
    """The fair as it went: codes typed in the rooms, then each room's export."""
    runner = _runner(demo)
    rooms = list(fair.employers.select_related("employer", "fair").order_by("pk"))
    seen = _participations(fair, rooms, registered, times, rng)
    for item in sorted((item for item in seen if item.by_code), key=lambda item: item.joined):
        with clock.standing_at(item.joined + dt.timedelta(minutes=min(3, item.minutes))):
            actions.enter_room(fair, item.person, item.room.room_code)
    for number, room in enumerate(rooms):
        here = [item for item in seen if item.room == room]
        looked_in = strangers[number : number + 1] if number % 5 == 0 else []
        upload = _export_file(
            room, _export_rows(room, here, looked_in, rng), as_csv=number % 3 == 2
        )
        _bring_in(room, upload, fair.ends + dt.timedelta(minutes=25 + 4 * number), runner)


def _news(demo: Demo, fairs: Sequence[JobFair], rng: random.Random) -> None:
    leader = demo.user(Role.LEADER)
    with clock.standing_at(NEWS_AT):
        article = report.publish_fair_news(
            JobFair.objects.filter(pk__in=[fair.pk for fair in fairs]), acting_user=leader
        )
    Article.objects.filter(pk=article.pk).update(
        published_at=NEWS_AT,
        created_at=NEWS_AT - dt.timedelta(minutes=40),
        changed_at=NEWS_AT,
        views=rng.randint(300, 600),
    )


@dataclass(frozen=True)
class Planned:
    """An offer as it happened: to whom, when, and when and how it was answered."""

    fair: JobFair
    employer: Employer
    position: Position
    graduate: Graduate
    offered_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime


def _plan_offers(
    fairs: Sequence[JobFair], firms: dict[str, Employer], rng: random.Random
) -> list[Planned]:
    """Offers to graduates who were in the employer's room and still seek work."""
    planned = []
    taken: set[int] = set()
    for fair_number, firm_number, job_number, offered_on, answer in OFFERS:
        fair, firm = fairs[fair_number], FIRMS[firm_number]
        employer = firms[firm.name]
        candidates = list(
            Graduate.objects.filter(
                person__fair_participations__room__fair=fair,
                person__fair_participations__room__employer=employer,
                destination=Destination.SEEKING,
            )
            .exclude(reports__status="pending")
            .exclude(pk__in=taken)
            .select_related("person")
            .order_by("person__number")
        )
        if not candidates:
            continue
        graduate = rng.choice(candidates)
        taken.add(graduate.pk)
        offered_at = _at(offered_on, rng.randint(9, 16), rng.randrange(60))
        answered_at = min(
            offered_at + dt.timedelta(hours=rng.randint(3, 20)), _at(dt.date(2022, 4, 15), 21)
        )
        planned.append(
            Planned(
                fair,
                employer,
                employer.positions.get(title=firm.jobs[job_number].title),
                graduate,
                offered_at,
                answer,
                answered_at,
            )
        )
    return planned


def _evidence(plan: Planned) -> SimpleUploadedFile:
    person = plan.graduate.person
    agreement = plan.answer == Destination.AGREEMENT
    name = "就业协议书" if agreement else "劳动合同"
    lines = [
        f"全国普通高等学校毕业生{name}" if agreement else name,
        f"毕业生：{person.name}  学号：{person.number}",
        f"专业：{person.programme}",
        f"用人单位：{plan.employer.name}",
        f"岗位：{plan.position.title}  工作地点：{plan.position.city}",
        f"签订日期：{plan.answered_at:%Y年%m月%d日}",
    ]
    return SimpleUploadedFile(
        f"{name}_{person.name}.pdf", one_page_pdf(lines), content_type="application/pdf"
    )


def _offers(planned: list[Planned], runner: User, after: dt.datetime, until: dt.datetime) -> None:
    """What happened to the planned offers in [after, until): recorded, and
    declined or accepted with the signed agreement or contract (the runner
    files what the graduate sent in)."""
    for plan in planned:
        if after <= plan.offered_at < until:
            with clock.standing_at(plan.offered_at):
                actions.record_offer(
                    plan.graduate,
                    plan.employer,
                    offered_on=plan.offered_at.astimezone(clock.BEIJING).date(),
                    position=plan.position,
                    fair=plan.fair,
                    acting_user=runner,
                )
        if plan.answer is None or not after <= plan.answered_at < until:
            continue
        offer = Offer.objects.get(graduate=plan.graduate, employer=plan.employer, fair=plan.fair)
        with clock.standing_at(plan.answered_at):
            if plan.answer == "declined":
                actions.decline_offer(offer, acting_user=runner)
            else:
                actions.accept_offer(
                    offer, plan.answer, files=[_evidence(plan)], acting_user=runner
                )


def job_fairs(demo: Demo) -> None:
    rng = demo.rng("fairs")
    admin = demo.user(Role.ADMIN)
    with clock.standing_at(ENROLLED_AT):
        actions.enrol_cohort(
            COHORT,
            Person.objects.filter(kind=Person.Kind.STUDENT, graduating=True).order_by("number"),
            acting_user=admin,
        )
    firms = employers(demo)
    fairs = _fairs(demo, rng, firms)
    _announce(demo, fairs, rng)
    graduates = list(
        Person.objects.filter(graduate__cohort=COHORT)
        .select_related("admin_class")
        .order_by("number")
    )
    registered = _register(fairs, graduates, _runner(demo), rng)
    strangers = list(
        Person.objects.filter(
            kind=Person.Kind.STUDENT, graduating=False, grade=SCENARIO_YEAR - 3
        ).order_by("number")[:10]
    )
    for fair, chosen, (*_head, times) in zip(fairs, registered, FAIRS, strict=True):
        _hold(demo, fair, chosen, times, strangers, rng)
    # Offers came in from the day after the first fair; the evening's article
    # tells of those made by then.
    planned = _plan_offers(fairs, firms, rng)
    runner = _runner(demo)
    _offers(planned, runner, ENROLLED_AT, NEWS_AT)
    _news(demo, fairs, rng)
    _offers(planned, runner, NEWS_AT, NOW)


FAIR_STEPS: list[Callable[[Demo], None]] = [job_fairs]
