"""The 2022届 graduates of 信息学院 and where they stand in mid-April.

The roster's graduating students — the undergraduates of grade 2018 and the
master's students in their last year — are taken as the 2022 cohort by the
employment office on 3月2日. The office is 付琳, the league committee's
secretary (团委书记) in the student affairs office: she co-owns the work
plan's employment measure and organises the online job fairs.

From 3月7日 the graduates report their destinations by the Ministry's codes,
with their agreements, contracts and admission letters; their class's
counsellor (肖明 for the undergraduates, 岳静 for the postgraduates)
confirms each within a day or two, during the lockdown too. By 4月16日 about
half the undergraduates and two thirds of the master's students are placed;
the reports of the last day wait for confirmation, one agreement went back
for its missing seal and came again. On 3月8日, after the survey of
graduates' employment (毕业生就业状况摸排), the counsellors marked the
graduates in difficulty (就业困难) and have followed them up since, some
less often once the lockdown began. Many graduates are still seeking work:
the job fairs and their offers are yet to come.

Everything goes through `shouwang.careers.actions` on the demo's clock set
back to the moment it happened (`clock.standing_at`); the graduates and the
undergraduates' counsellor get logins without a password, as the teachers do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role, User
from shouwang.careers import actions
from shouwang.careers.models import Destination, DestinationReport, Difficulty, FollowUp
from shouwang.careers.models import Graduate as GraduateRecord
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import DegreeLevel, Person

from .context import JOINED, Demo, on_the_minute
from .files import one_page_pdf
from .lockdown import NOW

COHORT = 2022
OFFICE_POST = "团委书记"
OFFICE_GRANTED = beijing(2022, 3, 1, 9, 0)
ENROLLED_AT = beijing(2022, 3, 2, 10, 0)
# The survey of graduates' employment (the work plan's milestone of 3月8日).
SURVEYED = dt.date(2022, 3, 8)
LAST_DAY = dt.date(2022, 4, 15)
# The counsellors confirm what came before the job fair's second day; the
# reports since wait for their next round.
WAITING_FROM = beijing(2022, 4, 14, 12, 0)

D = Destination
# Placed by mid-April, and how the placed are spread over the destinations.
PLACED_SHARE: dict[str, float] = {DegreeLevel.BACHELOR: 0.53, DegreeLevel.MASTER: 0.70}
PLACED_MIX: dict[str, dict[str, int]] = {
    DegreeLevel.BACHELOR: {
        D.AGREEMENT: 34,
        D.CONTRACT: 16,
        D.OTHER_HIRE: 5,
        D.CONSCRIPT: 2,
        D.NATIONAL_PROJECT: 1,
        D.SELF_EMPLOYED: 2,
        D.FREELANCE: 8,
        D.FURTHER_STUDY: 27,
        D.ABROAD: 5,
    },
    DegreeLevel.MASTER: {
        D.AGREEMENT: 60,
        D.CONTRACT: 20,
        D.OTHER_HIRE: 5,
        D.FREELANCE: 3,
        D.FURTHER_STUDY: 12,
    },
}
# Of those not placed, who said they are preparing for further study or not
# seeking work; the others are seeking work, as every graduate starts.
NOT_PLACED_MIX: dict[str, int] = {D.SEEKING: 80, D.PREPARING_STUDY: 17, D.NOT_SEEKING: 3}
# When each destination is reported: (first day, last day).
WINDOWS: dict[str, tuple[dt.date, dt.date]] = {
    D.AGREEMENT: (dt.date(2022, 3, 7), LAST_DAY),
    D.CONTRACT: (dt.date(2022, 3, 7), LAST_DAY),
    D.OTHER_HIRE: (dt.date(2022, 3, 10), LAST_DAY),
    D.CONSCRIPT: (dt.date(2022, 3, 7), dt.date(2022, 3, 20)),
    D.NATIONAL_PROJECT: (dt.date(2022, 4, 1), dt.date(2022, 4, 12)),
    D.SELF_EMPLOYED: (dt.date(2022, 3, 10), dt.date(2022, 4, 12)),
    D.FREELANCE: (dt.date(2022, 3, 10), LAST_DAY),
    # 考研 results in February, 复试 from late March, then the admission letters.
    D.FURTHER_STUDY: (dt.date(2022, 3, 25), LAST_DAY),
    D.ABROAD: (dt.date(2022, 3, 7), dt.date(2022, 4, 8)),
    D.PREPARING_STUDY: (dt.date(2022, 3, 8), dt.date(2022, 3, 31)),
    D.NOT_SEEKING: (dt.date(2022, 3, 8), dt.date(2022, 3, 31)),
}

Places = tuple[tuple[str, str], ...]
EMPLOYERS: dict[str, Places] = {
    DegreeLevel.BACHELOR: (
        ("太原智联软件有限公司", "太原"),
        ("山西晋数信息技术有限公司", "太原"),
        ("晋商银行股份有限公司", "太原"),
        ("中国建设银行山西省分行", "太原"),
        ("山西省农村信用社联合社", "太原"),
        ("中国移动通信集团山西有限公司", "太原"),
        ("中软国际科技服务有限公司", "西安"),
        ("浪潮软件集团有限公司", "济南"),
        ("神州数码系统集成服务有限公司", "北京"),
        ("京东物流集团", "北京"),
        ("杭州海康威视数字技术股份有限公司", "杭州"),
        ("太原重工股份有限公司", "太原"),
        ("山西焦煤集团有限责任公司", "太原"),
        ("郑州数智科技有限公司", "郑州"),
        ("深圳市晨曦电子商务有限公司", "深圳"),
        ("大同市云冈数据服务有限公司", "大同"),
        ("晋中市榆次区融媒体中心", "晋中"),
    ),
    DegreeLevel.MASTER: (
        ("山西财经大学图书馆", "太原"),
        ("山西省图书馆", "太原"),
        ("太原市档案馆", "太原"),
        ("国家税务总局山西省税务局", "太原"),
        ("中国银行山西省分行", "太原"),
        ("中国电信股份有限公司山西分公司", "太原"),
        ("华为技术有限公司", "西安"),
        ("北京百度网讯科技有限公司", "北京"),
        ("山西省大数据中心", "太原"),
    ),
}
SCHOOLS: dict[str, Places] = {
    DegreeLevel.BACHELOR: (
        ("山西财经大学", "太原"),
        ("山西大学", "太原"),
        ("太原理工大学", "太原"),
        ("中北大学", "太原"),
        ("东北财经大学", "大连"),
        ("西南财经大学", "成都"),
        ("北京邮电大学", "北京"),
        ("郑州大学", "郑州"),
        ("天津财经大学", "天津"),
    ),
    DegreeLevel.MASTER: (
        ("山西财经大学", "太原"),
        ("西安交通大学", "西安"),
        ("北京理工大学", "北京"),
    ),
}
ABROAD: Places = (
    ("英国利兹大学", "利兹"),
    ("英国伯明翰大学", "伯明翰"),
    ("澳大利亚莫纳什大学", "墨尔本"),
    ("香港浸会大学", "香港"),
    ("新加坡管理大学", "新加坡"),
)
OTHERS: dict[str, Places] = {
    D.CONSCRIPT: (("中国人民解放军（应征入伍）", ""),),
    D.NATIONAL_PROJECT: (("“三支一扶”计划（忻州市）", "忻州"),),
    D.SELF_EMPLOYED: (("太原市小店区晋品优选电子商务工作室", "太原"),),
    D.FREELANCE: (
        ("自由职业（新媒体运营）", ""),
        ("自由职业（独立软件开发）", ""),
        ("自由职业（电商直播）", ""),
    ),
}
# What each destination's evidence is: its file and its title.
PAPERS: dict[str, tuple[str, str]] = {
    D.AGREEMENT: ("就业协议书.pdf", "全国普通高等学校毕业生就业协议书"),
    D.CONTRACT: ("劳动合同.pdf", "劳动合同书"),
    D.OTHER_HIRE: ("录用证明.pdf", "用人单位录用证明"),
    D.CONSCRIPT: ("入伍通知书.pdf", "入伍通知书"),
    D.NATIONAL_PROJECT: ("录取通知.pdf", "“三支一扶”计划录取通知"),
    D.SELF_EMPLOYED: ("营业执照.pdf", "营业执照（副本）"),
    D.FURTHER_STUDY: ("拟录取通知.pdf", "研究生拟录取通知"),
    D.ABROAD: ("录取通知书.pdf", "录取通知书（Offer of Admission）"),
}

# The graduates in difficulty: undergraduates and master's students, and why.
DIFFICULTIES: dict[str, tuple[str, ...]] = {
    DegreeLevel.BACHELOR: (
        Difficulty.FAMILY_INCOME,
        Difficulty.FAMILY_INCOME,
        Difficulty.FAMILY_INCOME,
        Difficulty.FAMILY_INCOME,
        Difficulty.NO_EMPLOYED_IN_FAMILY,
        Difficulty.NO_EMPLOYED_IN_FAMILY,
        Difficulty.DISABILITY,
        Difficulty.LONG_SEEKING,
        Difficulty.LONG_SEEKING,
        Difficulty.OTHER,
    ),
    DegreeLevel.MASTER: (Difficulty.FAMILY_INCOME, Difficulty.LONG_SEEKING),
}
# Of them, how many found work with help by mid-April.
HELPED = 3
FOLLOW_UPS = (
    ("电话了解求职进展，推送学院合作单位岗位3个。", "本周内投递简历"),
    ("视频一对一修改简历，建议突出课程设计和实习经历。", "修改后发我再看一遍"),
    ("指导填报求职创业补贴申请，材料已提交学生处。", ""),
    ("了解到家里希望留在太原工作，推荐省内国企和银行岗位。", "关注晋商银行春季招聘"),
    ("组织线上模拟面试，反馈表达和专业问题的准备。", "下周再练一次"),
    ("推送网络双选会报名信息，提醒提前准备电子版简历。", "双选会当天线上陪同"),
    ("与家长电话沟通就业期望，建议先就业再择业。", ""),
    ("封控在校，微信了解心理状态和求职进展，情绪稳定。", "继续关注"),
)
RETURN_NOTE = "就业协议书缺少用人单位盖章页，请补充盖章页后重新提交。"


def _moment(
    rng: random.Random, day: dt.date, first: int = 8 * 60, last: int = 22 * 60
) -> dt.datetime:
    return clock.at(day, dt.time(0)) + dt.timedelta(minutes=rng.randint(first, last))


def _day_in(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _working(moment: dt.datetime) -> dt.datetime:
    """The moment, or the next morning's start if it falls in the night."""
    local = moment.astimezone(clock.BEIJING)
    if local.hour < 8:
        return clock.at(local.date(), dt.time(8, 30))
    if local.hour >= 22:
        return clock.at(local.date() + dt.timedelta(days=1), dt.time(8, 30))
    return moment


def _deck(rng: random.Random, size: int, weights: dict[str, int]) -> list[str]:
    """`size` draws spread over `weights` as evenly as whole numbers allow, shuffled."""
    total = sum(weights.values())
    exact = {code: size * weight / total for code, weight in weights.items()}
    counts = {code: int(share) for code, share in exact.items()}
    by_remainder = sorted(exact, key=lambda code: exact[code] - counts[code], reverse=True)
    for code in by_remainder[: size - sum(counts.values())]:
        counts[code] += 1
    deck = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(deck)
    return deck


@dataclass
class Plan:
    """A graduate's reports as the scenario plays them."""

    graduate: GraduateRecord
    user: User
    counsellor: User
    code: str
    organisation: str = ""
    city: str = ""
    reported_at: dt.datetime | None = None
    # Sent back first, and reported again at `reported_at`.
    returned: tuple[dt.datetime, dt.datetime] | None = None
    difficulty: str = ""
    follow_ups: list[dt.date] = field(default_factory=list)


def office_login(demo: Demo) -> None:
    """The employment office's login: the league committee's secretary."""
    admin = demo.user(Role.ADMIN)
    with clock.standing_at(OFFICE_GRANTED):
        office = demo.add_login(Role.EMPLOYMENT_OFFICE, demo.posts[OFFICE_POST])
        grant_role(office, Role.EMPLOYMENT_OFFICE, acting_user=admin)


def _graduating(demo: Demo) -> list[Person]:
    return [student for student in demo.students if student.graduating]


def graduate_logins(demo: Demo) -> None:
    """Every graduate and their counsellor has a login (without a password
    unless the walkthrough uses it): their reports and confirmations are theirs."""
    graduating = _graduating(demo)
    classes = {student.admin_class_id for student in graduating}
    counsellors = {cls.counsellor for cls in demo.classes if cls.pk in classes and cls.counsellor}
    has_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    people = sorted(
        (person for person in [*graduating, *counsellors] if person.pk not in has_login),
        key=lambda person: person.number,
    )
    User.objects.bulk_create(
        User(
            username=person.number, person=person, password=make_password(None), date_joined=JOINED
        )
        for person in people
    )


def enrol_graduates(demo: Demo) -> None:
    """The office takes the 2022 cohort from the roster."""
    with clock.standing_at(ENROLLED_AT):
        actions.enrol_cohort(
            COHORT, _graduating(demo), acting_user=demo.user(Role.EMPLOYMENT_OFFICE)
        )


def _plans(demo: Demo, rng: random.Random) -> list[Plan]:
    users = {
        user.person_id: user
        for user in User.objects.filter(person__isnull=False).select_related("person")
    }
    counsellor_of: dict[int | None, int | None] = {
        cls.pk: cls.counsellor_id for cls in demo.classes
    }
    graduates = list(
        GraduateRecord.objects.filter(cohort=COHORT)
        .select_related("person")
        .order_by("person__number")
    )
    plans = []
    for level in (DegreeLevel.BACHELOR, DegreeLevel.MASTER):
        mine = [g for g in graduates if g.person.degree_level == level]
        placed = round(len(mine) * PLACED_SHARE[level])
        codes = _deck(rng, placed, PLACED_MIX[level])
        codes += _deck(rng, len(mine) - placed, NOT_PLACED_MIX)
        rng.shuffle(codes)
        level_plans = [
            Plan(
                graduate=graduate,
                user=users[graduate.person_id],
                counsellor=users[counsellor_of[graduate.person.admin_class_id]],
                code=code,
            )
            for graduate, code in zip(mine, codes, strict=True)
        ]
        _mark_difficulties(rng, level, level_plans)
        plans += level_plans
    for plan in plans:
        _place(rng, plan)
    _return_one(rng, plans)
    return plans


def _mark_difficulties(rng: random.Random, level: str, plans: list[Plan]) -> None:
    """The graduates in difficulty: mostly among those still seeking work,
    a few of them placed since with their counsellor's help."""
    reasons = DIFFICULTIES[level]
    seeking = [plan for plan in plans if plan.code == D.SEEKING]
    helped = HELPED if level == DegreeLevel.BACHELOR else 0
    found = [plan for plan in plans if plan.code in (D.AGREEMENT, D.CONTRACT)]
    chosen = rng.sample(seeking, len(reasons) - helped) + rng.sample(found, helped)
    for plan, reason in zip(chosen, reasons, strict=True):
        plan.difficulty = reason
        # Followed up every one to two weeks; some not since the lockdown began.
        day = SURVEYED + dt.timedelta(days=rng.randint(1, 5))
        stops = dt.date(2022, 3, 31) if rng.random() < 0.3 else LAST_DAY
        while day <= stops:
            plan.follow_ups.append(day)
            day += dt.timedelta(days=rng.randint(6, 13))


def _place(rng: random.Random, plan: Plan) -> None:
    if plan.code == D.SEEKING:
        return
    level = plan.graduate.person.degree_level
    if plan.code in (D.AGREEMENT, D.CONTRACT, D.OTHER_HIRE):
        choices = EMPLOYERS[level]
    elif plan.code == D.FURTHER_STUDY:
        choices = SCHOOLS[level]
    elif plan.code == D.ABROAD:
        choices = ABROAD
    else:
        choices = OTHERS.get(plan.code, (("", ""),))
    plan.organisation, plan.city = rng.choice(choices)
    first, last = WINDOWS[plan.code]
    if plan.difficulty:
        # Placed with help, after the follow-ups began; followed up until then.
        first = max(first, dt.date(2022, 3, 25))
    day = _day_in(rng, first, last)
    plan.reported_at = _moment(rng, day)
    plan.follow_ups = [on for on in plan.follow_ups if on < day]


def _return_one(rng: random.Random, plans: list[Plan]) -> None:
    """One agreement came without its seal: sent back, and reported again."""
    early = [
        plan
        for plan in plans
        if plan.code == D.AGREEMENT
        and not plan.difficulty
        and plan.reported_at is not None
        and plan.reported_at < beijing(2022, 4, 1)
    ]
    plan = rng.choice(early)
    first = plan.reported_at
    if first is None:
        return
    returned = _working(first + dt.timedelta(hours=rng.randint(2, 20)))
    plan.returned = (first, returned)
    plan.reported_at = _moment(
        rng, returned.astimezone(clock.BEIJING).date() + dt.timedelta(days=3)
    )


def _evidence(plan: Plan, at: dt.datetime, name_suffix: str = "") -> list[SimpleUploadedFile]:
    if plan.code not in PAPERS:
        return []
    name, title = PAPERS[plan.code]
    person = plan.graduate.person
    day = at.astimezone(clock.BEIJING).date()
    lines = [
        title,
        f"单位（学校）：{plan.organisation}",
        f"毕业生：{person.name}　学号：{person.number}",
        f"专业：{person.programme}",
        f"日期：{day.year}年{day.month}月{day.day}日",
    ]
    if name_suffix:
        name = name.replace(".pdf", f"{name_suffix}.pdf")
    return [SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")]


Event = tuple[dt.datetime, int, Callable[[], None]]


def _events(rng: random.Random, plans: list[Plan]) -> list[Event]:
    events: list[Event] = []

    def at(moment: dt.datetime, action: Callable[[], None]) -> None:
        events.append((moment, len(events), action))

    for plan in plans:
        if plan.difficulty:
            at(_moment(rng, SURVEYED, 14 * 60, 18 * 60), partial(_mark, plan))
            for day in plan.follow_ups:
                note, next_step = rng.choice(FOLLOW_UPS)
                at(_moment(rng, day, 9 * 60, 21 * 60), partial(_follow, plan, day, note, next_step))
        if plan.reported_at is None:
            continue
        if plan.returned is not None:
            first, returned = plan.returned
            at(first, partial(_report, plan, first, "（未盖章）"))
            at(returned, partial(_return, plan))
        at(plan.reported_at, partial(_report, plan, plan.reported_at))
        confirmed = _working(plan.reported_at + dt.timedelta(minutes=rng.randint(60, 36 * 60)))
        if plan.reported_at < WAITING_FROM and confirmed < NOW:
            at(confirmed, partial(_confirm, plan))
    return sorted(events, key=lambda event: (event[0], event[1]))


def _mark(plan: Plan) -> None:
    actions.set_difficulty(plan.graduate, plan.difficulty, acting_user=plan.counsellor)


def _follow(plan: Plan, day: dt.date, note: str, next_step: str) -> None:
    actions.follow_up(plan.graduate, note, on=day, next_step=next_step, acting_user=plan.counsellor)


def _report(plan: Plan, moment: dt.datetime, suffix: str = "") -> None:
    actions.report_destination(
        plan.graduate,
        plan.code,
        organisation=plan.organisation,
        city=plan.city,
        files=_evidence(plan, moment, suffix),
        acting_user=plan.user,
    )


def _waiting(plan: Plan) -> DestinationReport:
    return plan.graduate.reports.get(status=DestinationReport.Status.PENDING)


def _confirm(plan: Plan) -> None:
    plan.graduate = actions.confirm_report(_waiting(plan), acting_user=plan.counsellor)


def _return(plan: Plan) -> None:
    actions.return_report(_waiting(plan), RETURN_NOTE, acting_user=plan.counsellor)


def report_destinations(demo: Demo) -> None:
    """The graduates' reports, their counsellors' decisions and follow-ups,
    from March to the demo's now, each at its moment."""
    rng = demo.rng("graduates")
    plans = _plans(demo, rng)
    for moment, _order, action in _events(rng, plans):
        with clock.standing_at(moment):
            action()


def settle_times(demo: Demo) -> None:
    """Every report, decision and follow-up on its minute, the same on every build."""
    DestinationReport.objects.update(
        reported_at=on_the_minute("reported_at"), decided_at=on_the_minute("decided_at")
    )
    GraduateRecord.objects.update(confirmed_at=on_the_minute("confirmed_at"))
    FollowUp.objects.update(created_at=on_the_minute("created_at"))
    LogEntry.objects.filter(kind__startswith="careers.").update(
        timestamp=on_the_minute("timestamp")
    )


GRADUATE_STEPS: tuple[Callable[[Demo], None], ...] = (
    office_login,
    graduate_logins,
    enrol_graduates,
    report_destinations,
    settle_times,
)
