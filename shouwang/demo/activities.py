"""Contests and activities in the lockdown, as the seed lists them.

学院团委 (付琳, the league committee's secretary, holds its login) ran them
under the party committee, which opened each one (the party secretary's
login): the “团史百年，青春妙绘”手抄报大赛, the “我为团团献祝福”视频征集, the
“青春之名，百年之约”照片征集 and the 大学生电子商务“创新、创意及创业”挑战赛校级赛
(三创赛, whose judging the work plan dates to 3月26日) are over, their entries
closed before the demo's now and their judges named; the “百年青春，绘制理想”
海报设计大赛 (the work plan's milestone of 4月30日) and the “心灵手巧，变废为宝”
夏装设计大赛 still take entries; the “百年荣光共青团，踔厉奋发新青年”线上宿舍文化节
takes dorm rooms as teams; 学院团委 signed students up for the external
“蓝桥杯” (its provincial results came on 4月15日) and 计算机设计大赛; the
“青年先锋论坛”优秀学子经验交流会 met online on 4月13日; and the counsellors'
“战役”思政云课堂 (opened 4月4日, the lockdown plan's task) has given four
lectures. Each session's attendance came from the 腾讯会议 export, checked
and committed through the activities' import.

The demo's student and volunteer logins sign up and send their entries
themselves; the other students' sign-ups and entries, gathered by their
League branches in the class groups, were entered by 付琳. Every step goes
through `shouwang.activities.actions` on the demo's clock set back to when it
happened; the draws come from the demo's seeded generator.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from shouwang.accounts.models import Role, User
from shouwang.activities import actions, attendance
from shouwang.activities.models import (
    Activity,
    AttendanceImport,
    Entry,
    ExternalAward,
    Prize,
    Session,
    SignUp,
    Team,
)
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import DormRoom, Person, Unit

from .college import COLLEGE, CS, DS, EC, IM
from .context import Demo, on_the_minute
from .files import one_page_pdf
from .lockdown import NOW, on_campus_throughout

ORGANISER_POST = "团委书记"
LEAGUE = "学院团委"
COUNSELLORS = "学院辅导员"

K = Activity.Kind
E = Activity.EntryKind


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return beijing(2022, month, day, hour, minute)


def _d(month: int, day: int) -> dt.date:
    return dt.date(2022, month, day)


@dataclass
class Stage:
    """What the activity steps share: who acts, the students, their logins."""

    demo: Demo
    rng: random.Random
    leader: User
    organiser: User
    counsellor: User
    students: list[Person]
    logins: dict[int, User]
    college: Unit
    teachers: dict[str, list[Person]] = field(default_factory=dict)

    def actor(self, person: Person) -> User:
        """A student with a login acts for themselves; 付琳 enters the rest."""
        return self.logins.get(person.pk, self.organiser)

    @property
    def student_login(self) -> Person:
        return self.demo.user(Role.STUDENT).person  # type: ignore[return-value]

    @property
    def volunteer_login(self) -> Person:
        return self.demo.user(Role.VOLUNTEER).person  # type: ignore[return-value]


def organiser_login(demo: Demo) -> User:
    """付琳's login, made here unless another step made it already."""
    person = demo.posts[ORGANISER_POST]
    existing = User.objects.filter(person=person).first()
    # 付琳 is staff: on the roster, a teacher's login (`User.roles`).
    return existing or demo.add_login(Role.TEACHER, person)


def _moments(rng: random.Random, start: dt.datetime, end: dt.datetime, n: int) -> list[dt.datetime]:
    """`n` moments between `start` and `end` (never past the demo's now), in
    order, on the minute, by day rather than by night."""
    end = min(end, NOW)
    seconds = int((end - start).total_seconds())
    found: list[dt.datetime] = []
    while len(found) < n:
        moment = start + dt.timedelta(seconds=rng.randrange(max(seconds, 1)))
        if 7 <= moment.astimezone(clock.BEIJING).hour <= 23:
            found.append(moment.replace(second=0, microsecond=0))
    return sorted(found)


def _open(
    stage: Stage,
    at: dt.datetime,
    organisers: Sequence[Person],
    judges: Sequence[Person] = (),
    **fields: object,
) -> Activity:
    with clock.standing_at(at):
        activity = actions.save_activity(
            Activity(unit=stage.college, **fields),  # type: ignore[arg-type]
            organisers=organisers,
            acting_user=stage.leader,
        )
    activity.judges.set(judges)
    return activity


def _sign_up(
    stage: Stage, activity: Activity, people: Sequence[Person], start: dt.datetime, end: dt.datetime
) -> None:
    for person, moment in zip(people, _moments(stage.rng, start, end, len(people)), strict=True):
        with clock.standing_at(moment):
            actions.sign_up(activity, person, acting_user=stage.actor(person))


def _teams(
    stage: Stage,
    activity: Activity,
    groups: Sequence[tuple[str, Sequence[Person]]],
    start: dt.datetime,
    end: dt.datetime,
) -> list[Team]:
    teams = []
    for (name, members), moment in zip(
        groups, _moments(stage.rng, start, end, len(groups)), strict=True
    ):
        with clock.standing_at(moment):
            teams.append(
                actions.create_team(
                    activity,
                    members[0],
                    name,
                    members[1:],
                    acting_user=stage.actor(members[0]),
                )
            )
    return teams


Files = Callable[[Person, str], list[SimpleUploadedFile]]


def _submit(
    stage: Stage,
    activity: Activity,
    senders: Sequence[Person],
    titles: Sequence[str],
    files: Files,
    start: dt.datetime,
) -> None:
    """Each sender's entry, after they signed up and before entries close."""
    closes = activity.entries_close_at
    if closes is None:
        raise ValueError(f"{activity} takes no entries")
    signed = dict(activity.signups.values_list("person_id", "signed_up_at"))
    for person in senders:
        begin = max(start, signed[person.pk])
        moment = _moments(stage.rng, begin, closes - dt.timedelta(minutes=5), 1)[0]
        title = stage.rng.choice(titles)
        with clock.standing_at(moment):
            actions.submit_entry(
                activity,
                person,
                title,
                files(person, title),
                acting_user=stage.actor(person),
            )


# The drawings, photos and posters: a small picture of its own for each entry.
PALETTES = (
    ((198, 40, 40), (255, 214, 0)),
    ((211, 47, 47), (255, 255, 255)),
    ((25, 118, 210), (255, 193, 7)),
    ((56, 142, 60), (255, 241, 118)),
    ((123, 31, 162), (255, 204, 128)),
    ((0, 121, 107), (255, 255, 255)),
)


def picture(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A 160×120 PNG drawn from `rng`: a banner, a sun, shapes, the same each build."""
    main, accent = rng.choice(PALETTES)
    image = Image.new("RGB", (160, 120), (250, 246, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 160, 28), fill=main)
    sun = rng.randrange(20, 140)
    draw.ellipse((sun - 12, 4, sun + 12, 24), fill=accent)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randrange(0, 140), rng.randrange(32, 110)
        w, h = rng.randrange(10, 40), rng.randrange(6, 30)
        colour = rng.choice((main, accent, (60, 60, 60), (240, 128, 128)))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        else:
            draw.ellipse((x, y, x + w, y + h), outline=colour, width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


# An MP4's file-type box: a placeholder for a phone's video in a demo that
# encodes none (no codec ships with the app).
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free"


def video(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MP4_HEAD, content_type="video/mp4")


def document(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")


def _images(stage: Stage, label: str) -> Files:
    return lambda person, title: [picture(stage.rng, f"{label}-{person.name}.png")]


def _pick(
    stage: Stage,
    n: int,
    among: Sequence[Person] | None = None,
    including: Sequence[Person] = (),
    excluding: Sequence[Person] = (),
) -> list[Person]:
    """`n` students of `among` (the college), the `including` ones first."""
    pool = [s for s in (among or stage.students) if s not in including and s not in excluding]
    return [*including, *stage.rng.sample(pool, n - len(including))]


HANDWRITTEN = (
    "百年团史我来绘",
    "红船精神代代传",
    "青春心向党",
    "团旗飘扬一百年",
    "不忘初心跟党走",
    "青春百年，薪火相传",
    "从五四到新时代",
    "请党放心，强国有我",
    "团史中的青春力量",
    "百年征程，青春作答",
)
BLESSINGS = (
    "为团团献上一份祝福",
    "宿舍里的生日歌",
    "封控中的青春告白",
    "百年共青团，我们在一起",
    "云端的祝福",
    "写给共青团的一封信",
)
PHOTOS = (
    "窗外的春天",
    "核酸检测队伍里的志愿者",
    "宿舍书桌上的网课",
    "楼下送餐的身影",
    "青春之名，百年之约",
    "封控中的晚霞",
    "我们的团旗",
    "最美逆行者",
)
POSTERS = (
    "绘制理想",
    "百年青春",
    "理想照亮前路",
    "青春向党，奋斗强国",
    "团旗下的我们",
    "逐梦新时代",
)
SUMMER = (
    "旧衬衫改造的夏日短裙",
    "快递袋拼接雨衣",
    "牛仔裤变身背带裙",
    "报纸礼服",
    "旧T恤编织吊带衫",
    "环保袋改造马甲",
)
VENTURES = (
    "“云上农场”助农直播电商平台",
    "校园二手书循环交易小程序",
    "封控社区团购拼单助手",
    "非遗手作文创电商",
    "大学生闲置租赁平台",
    "乡村民宿数字化运营",
    "老年人智能买菜助手",
    "校园快递无接触配送",
    "山西老陈醋跨境电商",
    "地方特产直播带货工作室",
    "校园心理健康陪伴社区",
    "低碳出行积分商城",
    "考研资料共享平台",
    "社区药品代购服务",
    "宠物寄养预约平台",
)


TEAM_NAMES = (
    "星火团队",
    "云帆团队",
    "数智未来",
    "青禾创客",
    "晋商新语",
    "破晓工作室",
    "拾光团队",
    "乘风队",
    "启航计划",
    "萤火团队",
    "山海团队",
    "知行团队",
    "向阳而生",
    "逐光者",
    "新青年创业社",
    "汾水之畔",
    "初心团队",
    "代码先锋",
    "数媒工坊",
    "算法小分队",
    "极客部落",
    "像素工厂",
)


def _judges(stage: Stage, department: str, n: int, including: Person | None = None) -> list[Person]:
    teachers = [t for t in stage.teachers[department] if t != including]
    return [*([including] if including else []), *teachers[: n - (1 if including else 0)]]


def activities_stage(demo: Demo, step: str) -> Stage:
    students = list(
        Person.objects.filter(kind=Person.Kind.STUDENT)
        .select_related("admin_class")
        .order_by("number")
    )
    teachers: dict[str, list[Person]] = {}
    for teacher in (
        Person.objects.filter(kind=Person.Kind.TEACHER).select_related("unit").order_by("number")
    ):
        if teacher.unit is not None:
            teachers.setdefault(teacher.unit.name, []).append(teacher)
    logins = {
        user.person_id: user
        for user in User.objects.filter(person__kind=Person.Kind.STUDENT)
        if user.person_id is not None
    }
    return Stage(
        demo=demo,
        rng=demo.rng(f"activities/{step}"),
        leader=demo.user(Role.LEADER),
        organiser=organiser_login(demo),
        counsellor=demo.user(Role.COUNSELLOR),
        students=students,
        logins=logins,
        college=Unit.objects.get(name=COLLEGE),
        teachers=teachers,
    )


def league_contests(demo: Demo) -> None:
    """The collections and contests taking pictures, videos and designs."""
    stage = activities_stage(demo, "league_contests")
    rng, league = stage.rng, [demo.posts[ORGANISER_POST]]
    teacher = demo.user(Role.TEACHER).person
    me, volunteer = stage.student_login, stage.volunteer_login

    handwritten = _open(
        stage,
        _at(3, 24, 10),
        league,
        _judges(stage, IM, 3, including=teacher),
        title="“团史百年，青春妙绘”手抄报大赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        starts_on=_d(3, 25),
        ends_on=_d(4, 12),
        signup_closes_at=_at(4, 5, 22),
        entries_close_at=_at(4, 8, 22),
        entry_kinds=[E.IMAGE],
        hours=Decimal("2.0"),
        rules=(
            "以共青团百年历史为主题，手绘A3手抄报，内容积极向上、图文并茂。\n"
            "拍照上传作品，每人限一幅。学院将评出一、二、三等奖和优秀奖。"
        ),
    )
    people = _pick(stage, 86, including=[me])
    _sign_up(stage, handwritten, people, _at(3, 25, 8), _at(4, 5, 21))
    _submit(stage, handwritten, people[:74], HANDWRITTEN, _images(stage, "手抄报"), _at(3, 27, 9))

    blessing = _open(
        stage,
        _at(4, 2, 16),
        league,
        _judges(stage, EC, 3),
        title="“我为团团献祝福”视频征集",
        kind=K.COLLECTION,
        organiser=LEAGUE,
        starts_on=_d(4, 3),
        ends_on=_d(4, 12),
        signup_closes_at=_at(4, 9, 22),
        entries_close_at=_at(4, 10, 22),
        entry_kinds=[E.VIDEO],
        hours=Decimal("2.0"),
        rules="录制1分钟以内的祝福视频，为共青团百年华诞送上祝福，横屏拍摄，MP4格式。",
    )
    people = _pick(stage, 42)
    _sign_up(stage, blessing, people, _at(4, 3, 9), _at(4, 9, 21))
    _submit(
        stage,
        blessing,
        people[:35],
        BLESSINGS,
        lambda person, title: [video(f"祝福视频-{person.name}.mp4")],
        _at(4, 4, 9),
    )

    photos = _open(
        stage,
        _at(4, 3, 15),
        league,
        _judges(stage, CS, 3, including=teacher),
        title="“青春之名，百年之约”照片征集",
        kind=K.COLLECTION,
        organiser=LEAGUE,
        starts_on=_d(4, 4),
        ends_on=_d(4, 14),
        signup_closes_at=_at(4, 12, 22),
        entries_close_at=_at(4, 13, 22),
        entry_kinds=[E.IMAGE],
        hours=Decimal("1.0"),
        rules="记录封控期间校园里的青春瞬间，原创摄影作品，每人限投2张。",
    )
    # Moments on campus: taken by students who spent the lockdown there.
    at_school = on_campus_throughout(stage.demo)
    on_campus = [student for student in stage.students if student.pk in at_school]
    people = _pick(stage, 118, among=on_campus, including=[me, volunteer])
    _sign_up(stage, photos, people, _at(4, 4, 8), _at(4, 12, 21))
    _submit(
        stage,
        photos,
        people[:103],
        PHOTOS,
        lambda person, title: [
            picture(rng, f"{title}-1.png"),
            *([picture(rng, f"{title}-2.png")] if rng.random() < 0.3 else []),
        ],
        _at(4, 4, 10),
    )

    posters = _open(
        stage,
        _at(4, 7, 10),
        league,
        _judges(stage, DS, 3, including=teacher),
        title="“百年青春，绘制理想”海报设计大赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        starts_on=_d(4, 8),
        ends_on=_d(4, 30),
        signup_closes_at=_at(4, 22, 22),
        entries_close_at=_at(4, 25, 22),
        entry_kinds=[E.IMAGE],
        hours=Decimal("2.0"),
        rules="围绕“百年青春，绘制理想”设计海报，A3竖版，电子稿或手绘稿拍照均可。",
    )
    # The student login has signed up and not yet sent a poster.
    people = _pick(stage, 64, including=[me])
    _sign_up(stage, posters, people, _at(4, 8, 9), NOW)
    _submit(stage, posters, people[1:22], POSTERS, _images(stage, "海报"), _at(4, 9, 9))

    summer = _open(
        stage,
        _at(4, 9, 16),
        league,
        _judges(stage, EC, 3),
        title="“心灵手巧，变废为宝”夏装设计大赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        starts_on=_d(4, 10),
        ends_on=_d(4, 24),
        signup_closes_at=_at(4, 20, 22),
        entries_close_at=_at(4, 22, 22),
        entry_kinds=[E.IMAGE],
        hours=Decimal("2.0"),
        rules="用宿舍里的旧衣物、包装袋等废旧材料设计制作夏装，拍摄正面、侧面照片上传。",
    )
    people = _pick(stage, 38)
    _sign_up(stage, summer, people, _at(4, 10, 9), NOW)
    _submit(stage, summer, people[:9], SUMMER, _images(stage, "夏装"), _at(4, 12, 9))


def challenge(demo: Demo) -> None:
    """The 三创赛's college round: teams sent their business plans by 3月24日;
    the work plan has it judged on 3月26日."""
    stage = activities_stage(demo, "challenge")
    rng = stage.rng
    judges = _judges(stage, EC, 5)
    activity = _open(
        stage,
        _at(3, 10, 10),
        [demo.posts[ORGANISER_POST]],
        judges,
        title="大学生电子商务“创新、创意及创业”挑战赛校级赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        starts_on=_d(3, 14),
        ends_on=_d(3, 26),
        signup_closes_at=_at(3, 20, 22),
        entries_close_at=_at(3, 24, 22),
        entry_kinds=[E.DOCUMENT],
        team_size_max=5,
        hours=Decimal("4.0"),
        rules="以团队参赛（3至5人），提交商业计划书（PDF）。校级赛优秀项目推荐参加省赛。",
    )
    volunteer = stage.volunteer_login
    seniors = [
        s for s in stage.students if s.grade in (2019, 2020) and s.degree_level == "bachelor"
    ]
    chosen = _pick(stage, 70, among=seniors, including=[volunteer])
    groups, start = [], 0
    for name in TEAM_NAMES[:17]:
        size = rng.randint(3, 5)
        members = chosen[start : start + size]
        start += size
        if len(members) < 3:
            break
        groups.append((name, members))
    teams = _teams(stage, activity, groups, _at(3, 14, 9), _at(3, 20, 21))
    signed = dict(activity.signups.values_list("person_id", "signed_up_at"))
    # Two teams never sent their plan.
    for team, (_name, members), venture in zip(teams[:15], groups, VENTURES, strict=False):
        sender = members[0]
        moment = _moments(rng, signed[sender.pk], _at(3, 24, 21), 1)[0]
        with clock.standing_at(moment):
            actions.submit_entry(
                activity,
                sender,
                venture,
                [
                    document(
                        f"{venture[:10]}商业计划书.pdf",
                        [
                            venture,
                            f"团队：{team.name}",
                            "商业计划书（摘要）",
                            "信息学院 三创赛校级赛",
                        ],
                    )
                ],
                acting_user=stage.actor(sender),
            )


def festival(demo: Demo) -> None:
    """The online dorm-culture festival: dorm rooms sign up as teams, the
    student login's B-312 among them; it asks no entry."""
    stage = activities_stage(demo, "festival")
    activity = _open(
        stage,
        _at(4, 8, 11),
        [demo.posts[ORGANISER_POST]],
        title="“百年荣光共青团，踔厉奋发新青年”线上宿舍文化节",
        kind=K.FESTIVAL,
        organiser=LEAGUE,
        starts_on=_d(4, 9),
        ends_on=_d(4, 20),
        signup_closes_at=_at(4, 15, 22),
        team_size_max=6,
        hours=Decimal("1.0"),
        rules=(
            "以宿舍为单位报名，宿舍长为队长。活动期间在班级群分享宿舍云联欢、"
            "趣味打卡和宿舍故事，展示封控期间的宿舍风采。"
        ),
    )
    me = stage.student_login
    rooms: dict[int, list[Person]] = {}
    for student in stage.students:
        if student.dorm_room_id and student.degree_level == "bachelor":
            rooms.setdefault(student.dorm_room_id, []).append(student)
    own = me.dorm_room_id
    others = [room for room in sorted(rooms) if room != own]
    chosen = [own, *stage.rng.sample(others, 17)] if own else stage.rng.sample(others, 18)
    found = DormRoom.objects.in_bulk(chosen)
    groups = []
    for room in chosen:
        members = rooms[room]
        if me in members:
            members = [me, *[m for m in members if m != me]]
        groups.append((f"{found[room].building}-{found[room].number}宿舍", members))
    _teams(stage, activity, groups, _at(4, 9, 9), _at(4, 15, 21))


def external_contests(demo: Demo) -> None:
    """The external 蓝桥杯 (its provincial round online on 4月9日, results on
    4月15日) and 计算机设计大赛, whose sign-up is open."""
    stage = activities_stage(demo, "external_contests")
    league = [demo.posts[ORGANISER_POST]]
    coders = [
        s for s in stage.students if s.programme in ("计算机科学与技术", "数据科学与大数据技术")
    ]
    lanqiao = _open(
        stage,
        _at(2, 28, 10),
        league,
        title="第十三届“蓝桥杯”全国软件和信息技术专业人才大赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        external=True,
        starts_on=_d(3, 1),
        ends_on=_d(4, 15),
        signup_closes_at=_at(3, 10, 22),
        hours=Decimal("4.0"),
        rules=(
            "个人赛，C/C++、Java、Python程序设计组。学院团委统一组织报名，"
            "省赛于4月9日线上举行，获奖情况由学院登记。"
        ),
    )
    volunteer = stage.volunteer_login
    people = _pick(stage, 45, among=coders, including=[volunteer])
    _sign_up(stage, lanqiao, people, _at(3, 1, 9), _at(3, 10, 21))
    prizes = (Prize.FIRST, Prize.SECOND, Prize.SECOND, Prize.THIRD, Prize.THIRD, Prize.THIRD)
    winners = [*stage.rng.sample(people[1:], 5), volunteer]
    signups = {s.person_id: s for s in lanqiao.signups.all()}
    with clock.standing_at(_at(4, 15, 16)):
        for person, prize in zip(winners, prizes, strict=True):
            actions.record_external_award(
                signups[person.pk],
                ExternalAward.Level.PROVINCIAL,
                prize,
                _d(4, 15),
                acting_user=stage.organiser,
            )

    design = _open(
        stage,
        _at(3, 18, 10),
        league,
        title="2022年中国大学生计算机设计大赛",
        kind=K.CONTEST,
        organiser=LEAGUE,
        external=True,
        starts_on=_d(3, 20),
        ends_on=_d(6, 30),
        signup_closes_at=_at(4, 20, 22),
        team_size_max=3,
        hours=Decimal("4.0"),
        rules="团队参赛（不超过3人），软件应用与开发、数媒设计等类别，校赛选拔后推荐参加省赛。",
    )
    pool = _pick(stage, 32, among=coders, excluding=[volunteer])
    groups, start = [], 0
    for name in TEAM_NAMES[-12:]:
        size = stage.rng.randint(2, 3)
        members = pool[start : start + size]
        start += size
        if len(members) >= 2:
            groups.append((name, members))
    _teams(stage, design, groups, _at(3, 21, 9), NOW)


# How people show in a 腾讯会议 export: their number and name in the
# nickname, as the class asked, or not quite.
def _nickname(rng: random.Random, person: Person) -> str:
    roll = rng.random()
    if roll < 0.55:
        return f"{person.number}{person.name}"
    if roll < 0.85:
        return f"{person.name}-{person.number}"
    return f"{person.admin_class.name if person.admin_class else ''} {person.name} {person.number}"


STRANGERS = ("iPhone", "HUAWEI Mate 40", "访客", "小王同学", "会议室大屏", "匿名用户")


def meeting_export(
    rng: random.Random,
    session: Session,
    present: Sequence[Person],
    under_half: float,
    strangers: int,
) -> bytes:
    """A 腾讯会议 参会成员明细 of `session`: each present student's stay (a few
    dropped and came back), some who left early, and nicknames that name nobody."""
    from openpyxl import Workbook

    length = session.minutes
    starts = session.starts_at.astimezone(clock.BEIJING).replace(tzinfo=None)
    rows: list[list[object]] = []

    def stay(nickname: str, begin: int, minutes: int) -> None:
        joined = starts + dt.timedelta(minutes=begin, seconds=rng.randrange(60))
        left = joined + dt.timedelta(minutes=minutes)
        rows.append(
            [
                len(rows) + 1,
                nickname,
                joined.strftime("%Y-%m-%d %H:%M:%S"),
                left.strftime("%Y-%m-%d %H:%M:%S"),
                f"{minutes}分钟",
            ]
        )

    for person in present:
        nickname = _nickname(rng, person)
        if rng.random() < under_half:
            stay(nickname, rng.randrange(0, 10), rng.randrange(5, length // 2 - 2))
        elif rng.random() < 0.08:
            first = rng.randrange(length // 3, length // 2)
            stay(nickname, 0, first)
            stay(nickname, first + 2, length - first - rng.randrange(3, 8))
        else:
            late = rng.randrange(0, 6)
            stay(nickname, late, length - late - rng.randrange(0, 4))
    for name in rng.sample(STRANGERS, strangers):
        stay(name, rng.randrange(0, 20), rng.randrange(10, length))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("参会成员明细")
    sheet.append([f"会议主题：{session.title}"])
    sheet.append([f"会议时间：{starts:%Y-%m-%d %H:%M}"])
    sheet.append([])
    sheet.append(["序号", "用户昵称", "入会时间", "退会时间", "参会时长"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import_attendance(
    stage: Stage,
    session: Session,
    present: Sequence[Person],
    uploader: User,
    under_half: float = 0.06,
    strangers: int = 4,
) -> AttendanceImport:
    """The organiser uploads the export the evening after, checks it, and
    commits it ten minutes later."""
    data = meeting_export(stage.rng, session, present, under_half, strangers)
    uploaded = session.ends_at + dt.timedelta(minutes=stage.rng.randrange(20, 90))
    day = session.starts_at.astimezone(clock.BEIJING)
    name = f"参会成员明细-{day.month}月{day.day}日.xlsx"
    with clock.standing_at(uploaded):
        item = AttendanceImport(session=session, filename=name, uploaded_by=uploader)
        item.file.save(name, ContentFile(data))
        attendance.check_file(item)
    with clock.standing_at(uploaded + dt.timedelta(minutes=10)):
        attendance.commit(item, acting_user=uploader)
    # auto_now_add stamps the real time; the upload was the demo's.
    AttendanceImport.objects.filter(pk=item.pk).update(created_at=uploaded)
    return item


def forum(demo: Demo) -> None:
    """The 青年先锋论坛: three graduating students told how they got their
    offers and postgraduate places, online on 4月13日."""
    stage = activities_stage(demo, "forum")
    graduating = [s for s in stage.students if s.graduating and s.degree_level == "bachelor"]
    speakers = stage.rng.sample(graduating, 3)
    activity = _open(
        stage,
        _at(4, 10, 9),
        [demo.posts[ORGANISER_POST]],
        title="“青年先锋论坛”优秀学子经验交流会",
        kind=K.FORUM,
        organiser=LEAGUE,
        starts_on=_d(4, 13),
        ends_on=_d(4, 13),
        signup_closes_at=_at(4, 13, 18),
        hours=Decimal("1.0"),
        rules="邀请保研、考研和就业的优秀毕业生分享经验，线上参加，请以“学号+姓名”入会。",
    )
    with clock.standing_at(_at(4, 10, 9, 30)):
        session = actions.save_session(
            Session(
                activity=activity,
                title="优秀学子经验交流会",
                starts_at=_at(4, 13, 19),
                ends_at=_at(4, 13, 20, 30),
                platform="腾讯会议",
                link="https://meeting.tencent.com/dm/qnxf0413",
                speaker="、".join(
                    f"{s.admin_class.name if s.admin_class else ''} {s.name}" for s in speakers
                ),
            ),
            acting_user=stage.organiser,
        )
    me = stage.student_login
    audience = [s for s in stage.students if s not in speakers]
    signed = _pick(stage, 60, among=audience, including=[me])
    _sign_up(stage, activity, signed, _at(4, 10, 10), _at(4, 13, 17))
    others = [s for s in audience if s not in signed]
    present = [*signed[:52], *stage.rng.sample(others, 130)]
    _import_attendance(stage, session, present, stage.organiser, under_half=0.1)


LECTURES = (
    (4, 5, "第一讲：战“疫”有我，青春担当"),
    (4, 8, "第二讲：科学防疫与心理调适"),
    (4, 12, "第三讲：从伟大抗疫精神看制度优势"),
    (4, 15, "第四讲：居家学习与时间管理"),
)


def ideology_class(demo: Demo) -> None:
    """The counsellors' “战役”思政云课堂, opened on 4月4日: four lectures on
    腾讯会议 so far, each counsellor in turn, attendance from the exports
    赵璞 uploaded."""
    stage = activities_stage(demo, "ideology_class")
    counsellors = list(demo.counsellors)
    activity = _open(
        stage,
        _at(4, 4, 15),
        counsellors,
        title="“战役”思政云课堂",
        kind=K.IDEOLOGY_CLASS,
        organiser=COUNSELLORS,
        starts_on=_d(4, 5),
        ends_on=_d(4, 30),
        hours=Decimal("2.0"),
        rules="封控期间每周两次线上思政课，由辅导员主讲，全体学生参加，请以“学号+姓名”入会。",
    )
    for (month, day, title), speaker in zip(LECTURES, counsellors, strict=False):
        with clock.standing_at(_at(4, 4, 15, 30)):
            session = actions.save_session(
                Session(
                    activity=activity,
                    title=title,
                    starts_at=_at(month, day, 19, 30),
                    ends_at=_at(month, day, 20, 15),
                    platform="腾讯会议",
                    link=f"https://meeting.tencent.com/dm/zy{month:02d}{day:02d}",
                    speaker=f"辅导员 {speaker.name}",
                ),
                acting_user=stage.counsellor,
            )
        present = [s for s in stage.students if stage.rng.random() < 0.8]
        _import_attendance(stage, session, present, stage.counsellor, strangers=5)


def settle_times(demo: Demo) -> None:
    """Every moment above was on the minute, and the clock ran on from it
    for the milliseconds an action takes: back to the minute, the same on
    every build."""
    Activity.objects.update(created_at=on_the_minute("created_at"))
    Team.objects.update(created_at=on_the_minute("created_at"))
    SignUp.objects.update(signed_up_at=on_the_minute("signed_up_at"))
    Entry.objects.update(submitted_at=on_the_minute("submitted_at"))
    AttendanceImport.objects.update(committed_at=on_the_minute("committed_at"))
    LogEntry.objects.filter(kind__startswith="activities.").update(
        timestamp=on_the_minute("timestamp")
    )


ACTIVITY_STEPS: tuple[Callable[[Demo], None], ...] = (
    league_contests,
    challenge,
    festival,
    external_contests,
    forum,
    ideology_class,
    settle_times,
)
