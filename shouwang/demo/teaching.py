"""Teaching in the lockdown: the spring term of 2021–22 at 信息学院, online
from 4月6日, as the seed has it: "承担本期教学任务的59名教师、997名学生、24个教学班
共同参与到线上教学工作中".

The school calendar of 2022 (清明, 劳动节, 端午 and the weekend days worked in
exchange, as the State Council set them). The teaching office's timetable:
24 teaching classes offered by the four departments, every teacher in one of
them (most courses are taught by a team of two or three, three of them with a
college leader), every student in one to two of them, weekly slots in the
academic-affairs system's notation. The first five weeks were taught in
classrooms; on 4月5日, after the meeting that decided it, the vice dean for
teaching moved the college's teaching online from 4月6日, tied to the
lockdown, and each team set its platform and link.

Every teacher has a login to mark their lessons (the logins came with the
roster); the demo prints only those of the walkthrough: the teaching
secretary (the teaching office) and a supervisor. Two weeks of online lessons
up to the demo's now, each marked held with attendance, imported from the
platform's export or marked by hand: a few absences, four students absent
twice in a week, the isolated attending from isolation and the unwell on
leave. One lesson moved for the campus-wide testing, two cancelled and made
up, all approved by the teaching office; six students without a device or
with a poor network, as their counsellor found them; six observations by
three supervisors, and one still to do.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import F

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role, RoleGrant, User
from shouwang.care.models import Isolation
from shouwang.checkins.models import CheckIn, Location
from shouwang.core.models import CalendarDay
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.teaching import actions
from shouwang.teaching.actions import ClassRow, SlotRow
from shouwang.teaching.models import (
    Attendance,
    Criterion,
    Lesson,
    Observation,
    OnlineSwitch,
    Period,
    Platform,
    Readiness,
    TeachingClass,
    Term,
)
from shouwang.volunteers.models import DutyDay

from .college import COLLEGE, COUNSELLOR_NAME, CS, DEPARTMENTS, DS, EC, IM
from .context import JOINED, Demo
from .lockdown import NOW, TODAY

TERM = "2021-2022-2"
FIRST_MONDAY = dt.date(2022, 2, 28)
WEEKS = 18
ONLINE_FROM = dt.date(2022, 4, 6)
# The days a teacher's duty on site may take a lesson of theirs: before its
# make-up of 4月13日.
DUTY_CLASH_DAYS = (ONLINE_FROM, dt.date(2022, 4, 12))
# After the 线上教学工作部署会 of 4月5日 15:00 (lockdown.MEETINGS).
SWITCHED_AT = beijing(2022, 4, 5, 16, 30)
SUPERVISORS_APPOINTED = beijing(2022, 2, 25, 9, 0)

# 2022 as the State Council set it (国办发明电〔2021〕11号): the holidays that fall
# in the term and the weekend days worked in exchange.
HOLIDAYS = (
    *((dt.date(2022, 4, day), "清明节") for day in (3, 4, 5)),
    *((dt.date(2022, 4, 30), "劳动节"),),
    *((dt.date(2022, 5, day), "劳动节") for day in (1, 2, 3, 4)),
    *((dt.date(2022, 6, day), "端午节") for day in (3, 4, 5)),
)
WORKING_WEEKENDS = (
    (dt.date(2022, 4, 2), "清明节调休上班"),
    (dt.date(2022, 4, 24), "劳动节调休上班"),
    (dt.date(2022, 5, 7), "劳动节调休上班"),
)


@dataclass(frozen=True)
class Course:
    """One teaching class of the timetable: its course, the department that
    offers it, the administrative classes enrolled, how many of the
    department's teachers teach it (and a leader who also does), its slots as
    (星期, first period, last period, 周次, room)."""

    course_code: str
    name: str
    department: str
    classes: tuple[str, ...]
    teachers: int
    slots: tuple[tuple[int, int, int, str, str], ...]
    leader: str = ""

    @property
    def code(self) -> str:
        return f"({TERM})-{self.course_code}-01"


# The first course of computer science is the teacher login's: it is the
# department's first teacher's, and the student login's class takes it.
COURSES = (
    # 计算机科学与技术系
    Course("B0102031", "数据库原理", CS, ("信管2001", "信管2002", "电商2001", "电商2002"), 2,
           ((2, 1, 2, "1-16周", "一教A201"), (4, 1, 2, "1-16周", "一教A201"))),
    Course("B0101012", "面向对象程序设计", CS, ("计科2101", "计科2102"), 2,
           ((1, 1, 2, "1-16周", "实验楼C301"), (3, 3, 4, "1-16周", "实验楼C301"))),
    Course("B0101005", "离散数学", CS, ("计科2101", "计科2102", "大数据2101"), 2,
           ((2, 3, 4, "1-16周", "一教A105"), (4, 1, 2, "1-15周(单)", "一教A105"))),
    Course("B0101021", "数据结构", CS, ("计科2001", "计科2002"), 2,
           ((1, 1, 2, "1-16周", "一教A302"), (3, 1, 2, "1-16周", "一教A302"))),
    Course("B0101024", "计算机组成原理", CS, ("计科2001", "计科2002", "大数据2001"), 2,
           ((2, 3, 4, "1-16周", "一教A108"), (4, 5, 6, "1-16周", "一教A108"))),
    Course("B0101033", "软件工程", CS, ("计科1901", "计科1902"), 2,
           ((1, 3, 4, "1-16周", "一教B203"), (4, 3, 4, "1-16周", "一教B203")),
           leader="副院长（教学）"),
    Course("B0101036", "计算机网络", CS, ("计科1901", "计科1902", "大数据1901"), 2,
           ((2, 1, 2, "1-16周", "一教A110"), (5, 3, 4, "1-16周", "实验楼C402"))),
    Course("S1301008", "模式识别与机器学习", CS, ("电子信息专硕2021",), 2,
           ((4, 5, 7, "1-16周", "研究生楼305"),)),
    # 信息管理系
    Course("B0202011", "信息管理学基础", IM, ("信管2101", "信管2102"), 3,
           ((1, 3, 4, "1-16周", "一教B106"), (3, 1, 2, "2-16周(双)", "一教B106"))),
    Course("B0202023", "信息系统分析与设计", IM, ("信管2001", "信管2002"), 2,
           ((3, 3, 4, "1-16周", "一教B208"), (5, 1, 2, "1-8,10-17周", "一教B208"))),
    Course("B0202035", "信息资源管理", IM, ("信管1901", "信管1902"), 2,
           ((1, 1, 2, "1-16周", "一教B301"), (3, 1, 2, "1-16周", "一教B301"))),
    Course("B0202041", "IT项目管理", IM, ("信管1801", "信管1802", "电商1801", "电商1802"), 2,
           ((2, 5, 6, "1-12周", "一教A401"),)),
    Course("S1102004", "高级运筹学", IM, ("管工学硕2021", "管工博士2021"), 2,
           ((1, 5, 7, "1-16周", "研究生楼210"),), leader="副院长（科研）"),
    Course("S1202006", "信息组织与检索", IM, ("图情专硕2021",), 2,
           ((2, 5, 7, "1-16周", "研究生楼212"),)),
    Course("S1102010", "学科前沿讲座", IM,
           ("管工学硕2019", "管工学硕2020", "图情专硕2020", "电子信息专硕2019", "电子信息专硕2020",
            "管工博士2020"), 2,
           ((5, 5, 6, "1-16周", "研究生楼报告厅"),), leader="院长"),
    # 电子商务系
    Course("B0303011", "电子商务概论", EC, ("电商2101", "电商2102"), 3,
           ((1, 5, 6, "1-16周", "一教A203"), (3, 3, 4, "1-16周", "一教A203"))),
    Course("B0303022", "电子商务网站设计", EC, ("电商2001", "电商2002"), 3,
           ((1, 5, 7, "1-16周", "实验楼C205"), (3, 5, 6, "3-18周", "实验楼C205"))),
    Course("B0303031", "网络营销", EC, ("电商1901", "电商1902"), 3,
           ((2, 5, 6, "1-16周", "一教A305"), (4, 1, 2, "1-16周", "一教A305"))),
    Course("B0303034", "商务数据分析", EC, ("信管1901", "信管1902", "电商1901", "电商1902"), 3,
           ((2, 3, 4, "1-16周", "一教A402"), (4, 5, 6, "1-16周", "实验楼C303"))),
    # 数据科学系
    Course("B0404011", "数据科学导论", DS, ("大数据2101",), 3,
           ((1, 3, 4, "1-16周", "一教B102"), (3, 1, 2, "2-16周(双)", "一教B102"))),
    Course("B0404003", "Python程序设计", DS, ("信管2101", "信管2102", "电商2101", "电商2102"), 3,
           ((2, 1, 2, "1-16周", "实验楼C401"), (4, 3, 4, "1-16周", "实验楼C401"))),
    Course("B0404021", "机器学习基础", DS, ("大数据2001",), 3,
           ((1, 3, 4, "1-16周", "一教B305"), (5, 3, 4, "1-16周", "实验楼C306"))),
    Course("B0404032", "分布式计算与Spark", DS, ("大数据1901",), 2,
           ((3, 5, 7, "1-12周", "实验楼C306"),)),
    Course("B0404041", "人工智能前沿专题", DS, ("计科1801", "计科1802", "大数据1801"), 2,
           ((3, 5, 6, "1-12周", "一教A501"),)),
)  # fmt: skip

# Platforms of the 24 classes, shuffled; the teacher login's is Tencent Meeting.
PLATFORMS = (
    [Platform.TENCENT_MEETING] * 12
    + [Platform.DINGTALK] * 5
    + [Platform.RAIN_CLASSROOM] * 4
    + [Platform.CHAOXING] * 3
)
# Platforms whose export the teachers import; the others' are marked by hand.
EXPORTING = (Platform.TENCENT_MEETING, Platform.DINGTALK)
MARKED_BY_HAND_SHARE = 0.15
# Of a lesson's students: absent (at most once a week by chance), late.
ABSENT_SHARE = 0.008
LATE_SHARE = 0.02
ABSENT_TWICE = 4  # students absent from two lessons in one week (two of them 赵璞's)
ABSENT_TWICE_WEEK = 7  # 4月11日–15日
POOR_NETWORK_LATE_SHARE = 0.3
# Of Tencent Meeting lessons, those that moved to DingTalk when the meeting would not hold.
SWITCHED_SHARE = 0.04
FEVER = Decimal("37.3")

READINESS = (
    (True, False, "电脑放假前送修了，封控取不回来，只能用手机上课"),
    (True, False, "笔记本电脑屏幕坏了，用室友的旧平板上课"),
    (False, True, "在老家，家里没有宽带，手机流量信号弱"),
    (False, True, "住在村里，晚上网络经常断"),
    (False, True, "家在山区，白天网络时断时续，只能开手机热点"),
    (True, True, "家里没有电脑，手机信号也不好，经常掉线"),
)

MOVE_REASON = "4月14日上午全员核酸检测，调至当天下午第7-8节"
CANCEL_REASONS = (
    "任课教师驻校参加疫情防控值守，与上课时间冲突",
    "任课教师家中老人突发疾病住院，需陪护",
)
OBSERVATION_COMMENTS = (
    "教师提前十分钟进入会议室，课件清晰，讲解结合实例，随堂用屏幕共享演示SQL执行过程，"
    "学生提问踊跃。建议每次课留五分钟小测，及时掌握学生理解情况。",
    "线上授课组织有序，板书改用手写板，推导过程完整。部分学生长时间未开麦，"
    "建议增加点名提问和讨论环节。",
    "课前在课程群发布预习材料，课上讲练结合，代码演示流畅。直播中网络短暂卡顿，"
    "教师及时改用录屏补充，处理得当。",
    "教学内容充实，案例贴近学科前沿；讲授节奏偏快，建议适当放慢并及时回应弹幕提问。",
    "学生到课情况良好，教师利用平台签到和随堂测验掌握学习情况，课后作业布置明确。",
    "课堂互动充分，分组讨论使用分组会议室，组织得当；建议课后及时上传回放。",
)


def _weeks(text: str) -> tuple[int, ...]:
    """The weeks a timetable's 周次 names: "1-8,10-17周", "2-16周(双)"."""
    parity = 1 if "(单)" in text else 0 if "(双)" in text else None
    weeks: list[int] = []
    for part in re.sub(r"周.*", "", text).split(","):
        first, _, last = part.partition("-")
        weeks += range(int(first), int(last or first) + 1)
    return tuple(week for week in weeks if parity is None or week % 2 == parity)


def _term() -> Term:
    return Term.objects.get(name=TERM)


def _teacher_users() -> dict[int, User]:
    return {
        user.person_id: user
        for user in User.objects.filter(person__kind=Person.Kind.TEACHER).select_related("person")
        if user.person_id is not None
    }


def _supervisors(demo: Demo) -> list[Person]:
    """The college's three supervisors: a senior teacher of each department
    but computer science (whose classes the teacher login's are)."""
    return [next(t for t in demo.teachers if t.unit == demo.units[d]) for d in (IM, EC, DS)]


def school_calendar(demo: Demo) -> None:
    """The days of 2022's term that are not what their weekday says."""
    CalendarDay.objects.bulk_create(
        [
            *(CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=n) for day, n in HOLIDAYS),
            *(
                CalendarDay(date=day, kind=CalendarDay.Kind.WORKING_DAY, name=n)
                for day, n in WORKING_WEEKENDS
            ),
        ]
    )


def teaching_logins(demo: Demo) -> None:
    """The teaching secretary keeps the timetable (the teaching office); three
    teachers supervise; the vice dean for teaching leads. Every teacher has a
    login, not yet given a password unless the walkthrough uses it."""
    admin = demo.user(Role.ADMIN)
    office = demo.add_login(Role.TEACHING_OFFICE, demo.posts["教学秘书"])
    grant_role(office, Role.TEACHING_OFFICE, acting_user=admin)
    supervisors = _supervisors(demo)
    demo.add_login(Role.SUPERVISOR, supervisors[0])
    has_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    User.objects.bulk_create(
        User(
            username=teacher.number,
            person=teacher,
            password=make_password(None),
            date_joined=JOINED,
        )
        for teacher in demo.teachers
        if teacher.pk not in has_login
    )
    users = _teacher_users()
    for supervisor in supervisors:
        grant_role(users[supervisor.pk], Role.SUPERVISOR, acting_user=admin)
    vice_dean = users[demo.posts["副院长（教学）"].pk]
    grant_role(vice_dean, Role.LEADER, acting_user=admin)
    grants = RoleGrant.objects.filter(revoked_at__isnull=True)
    grants.filter(user__in=[office, vice_dean]).update(granted_at=JOINED)
    grants.filter(role=Role.SUPERVISOR).update(granted_at=SUPERVISORS_APPOINTED)


def timetable(demo: Demo) -> None:
    """The term, its teaching classes with their teams and slots (which lay
    the term's lessons), and the enrolments, as the teaching office committed
    them before the term began."""
    office = demo.user(Role.TEACHING_OFFICE)
    term = Term.objects.create(name=TERM, first_monday=FIRST_MONDAY, weeks=WEEKS)
    by_department: dict[str, list[Person]] = defaultdict(list)
    for teacher in sorted(demo.teachers, key=lambda t: t.number):
        if teacher.unit is not None and teacher.unit.name in DEPARTMENTS:
            by_department[teacher.unit.name].append(teacher)
    rows = []
    for course in COURSES:
        team = by_department[course.department][: course.teachers]
        del by_department[course.department][: course.teachers]
        if course.leader:
            team.append(demo.posts[course.leader])
        slots = [
            SlotRow(weekday, first, last, _weeks(weeks), weeks, room)
            for weekday, first, last, weeks, room in course.slots
        ]
        rows.append(
            ClassRow(
                code=course.code,
                course_code=course.course_code,
                course_name=course.name,
                unit_id=demo.units[course.department].pk,
                teacher_ids=[teacher.pk for teacher in team],
                slots=slots,
                planned_hours=sum(
                    len(s.weeks) * (s.last_period - s.first_period + 1) for s in slots
                ),
            )
        )
    teaching = {pk for row in rows for pk in row.teacher_ids}
    left = [t.number for t in demo.teachers if t.pk not in teaching]
    if left:
        raise ValueError(f"teachers in no teaching class: {left}")
    actions.save_teaching_classes(term, rows, acting_user=office)
    classes = {cls.name: cls.pk for cls in demo.classes}
    taking: dict[int, list[str]] = defaultdict(list)
    for course in COURSES:
        for name in course.classes:
            taking[classes[name]].append(course.code)
    actions.enrol(
        term,
        [
            (code, student.pk)
            for student in demo.students
            for code in taking[student.admin_class_id or 0]
        ],
        acting_user=office,
    )


def _times() -> dict[int, tuple[dt.time, dt.time]]:
    periods = Period.objects.values_list("number", "starts", "ends")
    return {number: (starts, ends) for number, starts, ends in periods}


def _span(
    lesson: Lesson, times: dict[int, tuple[dt.time, dt.time]]
) -> tuple[dt.datetime, dt.datetime]:
    return (
        clock.at(lesson.date, times[lesson.first_period][0]),
        clock.at(lesson.date, times[lesson.last_period][1]),
    )


def _marker(
    rng: random.Random, lesson: Lesson, teams: dict[int, list[int]], users: dict[int, User]
) -> User:
    """Whichever of the class's team taught the lesson."""
    return users[rng.choice(teams[lesson.teaching_class_id])]


def _teams() -> dict[int, list[int]]:
    """Each class's teachers, its department's first (a leader who also
    teaches it last): the first is the one who sets up the class."""
    teams: dict[int, list[int]] = defaultdict(list)
    through = TeachingClass.teachers.through.objects.values_list(
        "teachingclass_id",
        "person_id",
        "person__unit_id",
        "teachingclass__unit_id",
        "person__number",
    )
    for class_id, person_id, *_rest in sorted(
        through, key=lambda row: (row[0], row[2] != row[3], row[4])
    ):
        teams[class_id].append(person_id)
    return teams


def classroom_weeks(demo: Demo) -> None:
    """The lessons before the lockdown, held in classrooms, each marked held
    by its teacher after the lesson."""
    rng = demo.rng("teaching classrooms")
    users, teams, times = _teacher_users(), _teams(), _times()
    lessons = list(
        Lesson.objects.filter(teaching_class__term=_term(), date__lt=ONLINE_FROM).order_by(
            "date", "first_period", "teaching_class__code"
        )
    )
    for lesson in lessons:
        actions.mark_held(lesson, acting_user=_marker(rng, lesson, teams, users))
        lesson.marked_at = _span(lesson, times)[1] + dt.timedelta(minutes=rng.randrange(5, 240))
    Lesson.objects.bulk_update(lessons, ["marked_at"], batch_size=500)


def _link(rng: random.Random, platform: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(9))
    if platform == Platform.TENCENT_MEETING:
        if rng.random() < 0.5:
            return f"腾讯会议 {digits[:3]}-{digits[3:6]}-{digits[6:]}"
        code = "".join(
            rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10)
        )
        return f"https://meeting.tencent.com/dm/{code}"
    if platform == Platform.DINGTALK:
        return f"钉钉群直播，群号 3{digits[:7]}"
    if platform == Platform.RAIN_CLASSROOM:
        return f"https://yuketang.example.edu.cn/lesson/{digits[:7]}"
    return f"https://mooc.example.edu.cn/course/{digits}"


def online_teaching(demo: Demo) -> None:
    """The vice dean for teaching moves the college online from 4月6日, for
    the lockdown; each team sets its platform; the counsellor records the
    students her survey found without a device or a good connection."""
    rng = demo.rng("teaching online")
    users, teams = _teacher_users(), _teams()
    vice_dean = users[demo.posts["副院长（教学）"].pk]
    term = _term()
    switch = actions.go_online(
        term=term,
        units=[demo.units[COLLEGE]],
        starts_on=ONLINE_FROM,
        incident=demo.incident,
        acting_user=vice_dean,
    )
    OnlineSwitch.objects.filter(pk=switch.pk).update(created_at=SWITCHED_AT)
    platforms = list(PLATFORMS)
    rng.shuffle(platforms)
    classes = list(TeachingClass.objects.filter(term=term).order_by("pk"))
    first = COURSES[0].code
    for teaching_class, platform in zip(classes, platforms, strict=True):
        if teaching_class.code == first:
            platform = Platform.TENCENT_MEETING
        actions.set_platform(
            teaching_class,
            platform=platform,
            join_link=_link(rng, platform),
            acting_user=users[teams[teaching_class.pk][0]],
        )
    _readiness(demo, rng)


def _readiness(demo: Demo, rng: random.Random) -> None:
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    counsellor_user = demo.user(Role.COUNSELLOR)
    student_login = demo.user(Role.STUDENT)
    own = {cls.pk for cls in demo.classes if cls.counsellor_id == counsellor.pk}
    where = dict(
        CheckIn.objects.filter(date=ONLINE_FROM, person__admin_class_id__in=own).values_list(
            "person_id", "location"
        )
    )
    students = [s for s in demo.students if s.admin_class_id in own and s != student_login.person]
    at_home = [s for s in students if where.get(s.pk) == Location.HOME]
    on_campus = [s for s in students if where.get(s.pk) == Location.CAMPUS]
    chosen = rng.sample(on_campus, 2) + rng.sample(at_home, len(READINESS) - 2)
    answered = []
    for student, (no_device, poor_network, note) in zip(chosen, READINESS, strict=True):
        answered.append(
            actions.answer_readiness(
                student,
                no_device=no_device,
                poor_network=poor_network,
                note=note,
                acting_user=counsellor_user,
            )
        )
    # The student login answered for themselves: nothing in the way.
    if student_login.person is not None:
        answered.append(
            actions.answer_readiness(
                student_login.person, no_device=False, poor_network=False, acting_user=student_login
            )
        )
    for readiness in answered:
        readiness.answered_at = beijing(2022, 4, 5, 18, 0) + dt.timedelta(
            minutes=rng.randrange(0, 180)
        )
    Readiness.objects.bulk_update(answered, ["answered_at"])


def _lesson(term: Term, course: str, day: dt.date, first_period: int | None = None) -> Lesson:
    lessons = Lesson.objects.filter(
        teaching_class__term=term, teaching_class__course_name=course, date=day
    ).select_related("teaching_class")
    if first_period is not None:
        lessons = lessons.filter(first_period=first_period)
    return lessons.get()


def lesson_changes(demo: Demo) -> None:
    """A lesson moved for the campus-wide testing; two cancelled, each with its
    make-up; every change approved by the teaching office."""
    office = demo.user(Role.TEACHING_OFFICE)
    users, teams = _teacher_users(), _teams()
    term = _term()

    moved = _lesson(term, "离散数学", dt.date(2022, 4, 14), 1)
    actions.move_lesson(
        moved,
        date=moved.date,
        first_period=7,
        last_period=8,
        reason=MOVE_REASON,
        acting_user=users[teams[moved.teaching_class_id][0]],
    )
    actions.decide_change(moved, approve=True, acting_user=office)

    # A teacher on duty at school that day (the duty roster puts them on site,
    # their check-in there) gives up a lesson.
    on_campus = set(
        CheckIn.objects.filter(
            date__range=DUTY_CLASH_DAYS,
            location=Location.CAMPUS,
            person__kind=Person.Kind.TEACHER,
            person__duty_days__date=F("date"),
            person__duty_days__mode=DutyDay.Mode.ON_SITE,
        ).values_list("person_id", "date")
    )
    observed = {name for name, *_rest in OBSERVED}
    candidates = (
        Lesson.objects.filter(teaching_class__term=term, date__range=DUTY_CLASH_DAYS)
        .exclude(teaching_class__course_name__in={COURSES[0].name, "离散数学", *observed})
        .order_by("date", "first_period", "teaching_class__code")
    )
    first = next(
        (
            (lesson, teacher)
            for lesson in candidates
            for teacher in teams[lesson.teaching_class_id]
            if (teacher, lesson.date) in on_campus
        ),
        None,
    )
    if first is None:
        raise ValueError("no teacher on duty at school has a lesson before its make-up day")
    second = (
        Lesson.objects.filter(teaching_class__term=term, date=dt.date(2022, 4, 15))
        .exclude(teaching_class__course_name__in={COURSES[0].name, *observed})
        .exclude(teaching_class=first[0].teaching_class)
        .order_by("first_period", "teaching_class__code")
        .first()
    )
    if second is None:
        raise ValueError("no lesson on 4月15日 to cancel")
    lesson, teacher = first
    _cancel(lesson, users[teacher], CANCEL_REASONS[0], dt.date(2022, 4, 13), (9, 10), office)
    Lesson.objects.filter(pk=lesson.pk).update(
        marked_at=clock.at(lesson.date - dt.timedelta(days=1), dt.time(20, 30))
    )
    teacher = teams[second.teaching_class_id][0]
    _cancel(second, users[teacher], CANCEL_REASONS[1], dt.date(2022, 4, 24), (3, 4), office)
    Lesson.objects.filter(pk=second.pk).update(marked_at=beijing(2022, 4, 14, 20, 10))


def _cancel(
    lesson: Lesson,
    teacher: User,
    reason: str,
    makeup_on: dt.date,
    periods: tuple[int, int],
    office: User,
) -> None:
    """The teacher cancels the lesson with its make-up; the office approves both."""
    makeup = actions.cancel_lesson(
        lesson, reason=reason, makeup_date=makeup_on, makeup_periods=periods, acting_user=teacher
    )
    actions.decide_change(lesson, approve=True, acting_user=office)
    if makeup is not None:
        actions.decide_change(makeup, approve=True, acting_user=office)


@dataclass
class _Circumstances:
    """What the attendance of the online fortnight follows: who is enrolled
    where, who was in isolation when, unwell on which days (their check-ins),
    with a poor connection, and who misses two lessons of a week."""

    enrolled: dict[int, list[int]]
    isolated: dict[int, list[tuple[dt.datetime, dt.datetime]]]
    unwell: set[tuple[int, dt.date]]
    poor_network: dict[int, bool]
    steady: set[int]
    planned_absent: set[tuple[int, int]] = field(default_factory=set)
    absent_in_week: set[tuple[int, int | None]] = field(default_factory=set)

    def isolated_at(self, student: int, moment: dt.datetime) -> bool:
        return any(start <= moment < end for start, end in self.isolated.get(student, ()))

    def status(
        self, rng: random.Random, student: int, lesson: Lesson, start: dt.datetime, week: int | None
    ) -> str:
        roll = rng.random()
        if (student, lesson.pk) in self.planned_absent:
            return Attendance.Status.ABSENT
        if self.isolated_at(student, start):
            return Attendance.Status.PRESENT  # from their isolation room
        if (student, lesson.date) in self.unwell:
            return Attendance.Status.EXCUSED
        if student in self.steady:
            late = self.poor_network.get(student) and roll < POOR_NETWORK_LATE_SHARE
            return Attendance.Status.LATE if late else Attendance.Status.PRESENT
        if roll < ABSENT_SHARE and (student, week) not in self.absent_in_week:
            self.absent_in_week.add((student, week))
            return Attendance.Status.ABSENT
        if roll < ABSENT_SHARE + LATE_SHARE:
            return Attendance.Status.LATE
        return Attendance.Status.PRESENT


def _circumstances(demo: Demo, term: Term) -> _Circumstances:
    enrolled: dict[int, list[int]] = defaultdict(list)
    for class_id, student_id in (
        TeachingClass.students.through.objects.filter(teaching_class__term=term)
        .order_by("student__number")
        .values_list("teaching_class_id", "student_id")
    ):
        enrolled[class_id].append(student_id)
    isolated: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for person_id, started, ended in Isolation.objects.values_list(
        "person_id", "started_at", "ended_at"
    ):
        isolated[person_id].append((started, ended or NOW))
    unwell = {
        (person_id, day)
        for person_id, day, temperature, symptoms in CheckIn.objects.filter(
            date__range=(ONLINE_FROM, TODAY)
        ).values_list("person_id", "date", "temperature", "symptoms")
        if symptoms or (temperature is not None and temperature >= FEVER)
    }
    poor_network = dict(Readiness.objects.values_list("person_id", "poor_network"))
    return _Circumstances(
        enrolled=enrolled,
        isolated=isolated,
        unwell=unwell,
        poor_network=poor_network,
        steady={demo.user(Role.STUDENT).person_id or 0, *poor_network},
    )


def _absent_twice(
    demo: Demo, rng: random.Random, term: Term, lessons: list[Lesson], seen: _Circumstances
) -> None:
    """Four students each miss two lessons of the second online week, two of
    them in 赵璞's classes: her list of students absent twice has names."""
    lessons_of: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        if term.week_of(lesson.date) == ABSENT_TWICE_WEEK:
            for student in seen.enrolled[lesson.teaching_class_id]:
                lessons_of[student].append(lesson)
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    own = {cls.pk for cls in demo.classes if cls.counsellor_id == counsellor.pk}
    eligible = [
        s
        for s in demo.students
        if len(lessons_of[s.pk]) >= 3
        and s.pk not in seen.steady
        and s.pk not in seen.isolated
        and not any((s.pk, lesson.date) in seen.unwell for lesson in lessons_of[s.pk])
    ]
    twice = rng.sample([s for s in eligible if s.admin_class_id in own], 2)
    twice += rng.sample([s for s in eligible if s.admin_class_id not in own], ABSENT_TWICE - 2)
    for person in twice:
        seen.absent_in_week.add((person.pk, ABSENT_TWICE_WEEK))
        for lesson in rng.sample(lessons_of[person.pk], 2):
            seen.planned_absent.add((person.pk, lesson.pk))


def online_lessons(demo: Demo) -> None:
    """Every online lesson up to the demo's now, held, with its attendance:
    imported from the platform's export (with minutes) or marked by hand."""
    rng = demo.rng("teaching attendance")
    users, teams, times = _teacher_users(), _teams(), _times()
    term = _term()
    lessons = [
        lesson
        for lesson in Lesson.objects.filter(
            teaching_class__term=term,
            date__range=(ONLINE_FROM, TODAY),
            status=Lesson.Status.SCHEDULED,
        )
        .select_related("teaching_class")
        .order_by("date", "first_period", "teaching_class__code")
        if _span(lesson, times)[1] <= NOW
    ]
    seen = _circumstances(demo, term)
    _absent_twice(demo, rng, term, lessons, seen)
    marked: dict[int, dt.datetime] = {}
    for lesson in lessons:
        start, end = _span(lesson, times)
        length = int((end - start).total_seconds() // 60)
        teaching_class = lesson.teaching_class
        imported = teaching_class.platform in EXPORTING and rng.random() >= MARKED_BY_HAND_SHARE
        week = term.week_of(lesson.date)
        statuses: dict[int, tuple[str, int | None]] = {}
        for student in seen.enrolled[teaching_class.pk]:
            status = seen.status(rng, student, lesson, start, week)
            minutes = None
            if imported and status == Attendance.Status.PRESENT:
                minutes = rng.randint(length - 8, length)
            elif imported and status == Attendance.Status.LATE:
                minutes = rng.randint(length // 2, length - 15)
            statuses[student] = (status, minutes)
        teacher = _marker(rng, lesson, teams, users)
        if teaching_class.platform == Platform.TENCENT_MEETING and rng.random() < SWITCHED_SHARE:
            # The meeting would not hold: the lesson went on in DingTalk.
            actions.mark_held(lesson, platform=Platform.DINGTALK, acting_user=teacher)
        actions.record_attendance(
            lesson,
            statuses,
            source=Attendance.Source.IMPORTED if imported else Attendance.Source.MARKED,
            acting_user=teacher,
        )
        marked[lesson.pk] = min(end + dt.timedelta(minutes=rng.randrange(10, 150)), NOW)
    for lesson_id, at in marked.items():
        Attendance.objects.filter(lesson_id=lesson_id).update(recorded_at=at)
    held = list(Lesson.objects.filter(pk__in=marked))
    for lesson in held:
        lesson.marked_at = marked[lesson.pk]
    Lesson.objects.bulk_update(held, ["marked_at"], batch_size=500)


# (course, day, supervisor: the index in _supervisors, done): the first
# supervisor is the login; the last is still to be observed.
OBSERVED = (
    ("数据库原理", dt.date(2022, 4, 7), 0, True),
    ("数据结构", dt.date(2022, 4, 11), 0, True),
    ("Python程序设计", dt.date(2022, 4, 12), 1, True),
    ("信息资源管理", dt.date(2022, 4, 13), 1, True),
    ("电子商务概论", dt.date(2022, 4, 11), 2, True),
    ("网络营销", dt.date(2022, 4, 12), 2, True),
    ("计算机网络", dt.date(2022, 4, 19), 0, False),
)


def observations(demo: Demo) -> None:
    """The teaching office assigns online lessons to the supervisors, who
    observe them and write their ratings and comments that evening."""
    rng = demo.rng("teaching observations")
    office = demo.user(Role.TEACHING_OFFICE)
    users, teams, times = _teacher_users(), _teams(), _times()
    supervisors = _supervisors(demo)
    criteria = list(Criterion.objects.values_list("pk", flat=True))
    term = _term()
    comments = list(OBSERVATION_COMMENTS)
    rng.shuffle(comments)
    made = []
    for course, day, index, done in OBSERVED:
        supervisor = supervisors[index]
        lesson = _lesson(term, course, day)
        if supervisor.pk in teams[lesson.teaching_class_id]:
            raise ValueError(f"{supervisor.name} would observe their own {course}")
        observation = actions.assign_observation(lesson, supervisor, acting_user=office)
        observation.assigned_at = (
            beijing(2022, 4, 6, 10, 0) if done else beijing(2022, 4, 15, 16, 20)
        )
        if done:
            actions.write_observation(
                observation,
                ratings={pk: rng.choice((4, 4, 5, 5, 5, 3)) for pk in criteria},
                comments=comments.pop(),
                acting_user=users[supervisor.pk],
            )
            observation.observed_at = _span(lesson, times)[1] + dt.timedelta(
                minutes=rng.randrange(40, 180)
            )
        made.append(observation)
    Observation.objects.bulk_update(made, ["assigned_at", "observed_at"])


CALENDAR_STEPS: tuple[Callable[[Demo], None], ...] = (school_calendar,)
TEACHING_STEPS: tuple[Callable[[Demo], None], ...] = (
    teaching_logins,
    timetable,
    classroom_weeks,
    online_teaching,
    lesson_changes,
    online_lessons,
    observations,
)
