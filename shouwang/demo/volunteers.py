"""The lockdown's volunteer work: shifts at the testing site, the staff duty
roster and the community service of students at home.

The party members' vanguard post and work team keep order at the nucleic-acid
testing in the 体育馆 (核酸检测秩序维护), morning and afternoon on the testing
days; their leads checked them in and out, so the hours are what the shifts
say. This morning's shift, at the whole-college testing of 4月16日, is under
way (checked in, not yet out), and tomorrow's still has places.

Only those who checked in on campus that day take a place at the testing
site: the teams are students who spent the lockdown at school, and on a day
one of them has not reported, the others go. The notice of the testing of
4月16日 is written from its shifts.

The duty roster is the duty rota's (`lockdown.DutyRota`), by which the staff
checked in: 辅导员赵璞 on site every day from 4月2日 (the seed's "将近半月"),
in the roles the seed gives her, the office director at the store, the
党委副书记 leading on working days and the others in stints, each working
from home on the other days. Fifteen days today: the daily job tells the
leaders 赵璞 is due a relief.

Community service: the 18 student party members `lockdown` placed at home
report their service in their communities across the country, approved by
their counsellors; a few other students report too, one report was returned
and two wait for 赵璞.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from shouwang.accounts.models import Role
from shouwang.checkins.models import Location
from shouwang.lib import clock
from shouwang.lib.divisions import names
from shouwang.volunteers.models import (
    DutyDay,
    ServiceReport,
    Shift,
    SignUp,
)

from .college import COUNSELLOR_NAME
from .context import Demo
from .lockdown import (
    DEPUTY_SECRETARY,
    FIRST_DAY,
    NOW,
    OFFICE_DIRECTOR,
    TODAY,
    duty_rota,
    locations,
)
from .notices import SECRETARY, VANGUARD_POST, WORK_TEAM, Sent, everyone, send_notice

TESTING = "核酸检测秩序维护"
GYM = "体育馆"
# The college-wide testing days, and the two stints of each.
TESTING_DAYS = [dt.date(2022, 4, d) for d in (3, 5, 7, 9, 11, 13, 15, 16, 17)]
STINTS = ((dt.time(8, 0), dt.time(11, 0)), (dt.time(14, 0), dt.time(17, 0)))
PLACES = 6
# Tomorrow's morning is left with places to take.
TOMORROW_TAKEN = 3

# The notice of the whole college's testing: sent on the morning before.
TESTING_NOTICE_DAY = dt.date(2022, 4, 16)
TESTING_NOTICE_AT = clock.at(dt.date(2022, 4, 15), dt.time(7, 30))
TESTING_NOTICE_DEADLINE = clock.at(dt.date(2022, 4, 15), dt.time(18))

COUNSELLOR_ROLES = ("宿舍管理员", "心理疏导", "协助医务人员", "参会联络员", "班级走访")
# The roles of the others on site, by post; those without one take turns at these.
POST_ROLES = {OFFICE_DIRECTOR: "物资保管", DEPUTY_SECRETARY: "带班值班"}
STAFF_ROLES = ("值班", "校门值守", "宿舍楼巡查", "值班")
REMOTE_ROLE = "居家办公"

ACTIVITIES = (
    "为居民采购生活物品",
    "对各类物资进行消杀",
    "在值守点检查出入人员",
    "开展入户调查",
    "协助做好核酸检测工作",
)
OTHER_REPORTERS = 4


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return clock.at(day, time)


def testing_site_shifts(demo: Demo) -> None:
    """The vanguard post's and work team's shifts at the testing site, with sign-ups and hours."""
    rng = demo.rng("volunteer shifts")
    volunteer = demo.user(Role.VOLUNTEER)
    shifts: list[Shift] = []
    for name in (VANGUARD_POST, WORK_TEAM):
        team = demo.teams[name]
        for day in TESTING_DAYS:
            for start, end in STINTS:
                if day > TODAY and start.hour > 12:
                    continue  # tomorrow's afternoon is not planned yet
                shifts.append(
                    Shift(
                        team=team,
                        title=TESTING,
                        place=GYM,
                        starts_at=_at(day, start),
                        ends_at=_at(day, end),
                        places=PLACES,
                        created_by=volunteer,
                    )
                )
    Shift.objects.bulk_create(shifts)
    members = {
        team.pk: list(
            team.memberships.order_by("person__number").values_list("person_id", flat=True)
        )
        for team in (demo.teams[VANGUARD_POST], demo.teams[WORK_TEAM])
    }
    where = locations(demo)
    signups = []
    for shift in shifts:
        day = shift.starts_at.astimezone(clock.BEIJING).date()
        # Those who checked in at school that day (the members all live
        # there: tomorrow's places are open to every one of them).
        pool = [
            person_id
            for person_id in members[shift.team_id]
            if day > TODAY or where.get((person_id, day)) == Location.CAMPUS
        ]
        taken = TOMORROW_TAKEN if shift.starts_at > NOW + dt.timedelta(hours=6) else PLACES
        for person_id in rng.sample(pool, min(taken, len(pool))):
            # Tomorrow's places were taken in the days before, never after now.
            signed_up_at = shift.starts_at - dt.timedelta(hours=rng.uniform(12, 40))
            signup = SignUp(
                shift=shift,
                person_id=person_id,
                signed_up_at=min(signed_up_at, NOW - dt.timedelta(minutes=rng.randint(5, 600))),
            )
            arrived = shift.starts_at + dt.timedelta(minutes=rng.randint(-10, 5))
            left = shift.ends_at + dt.timedelta(minutes=rng.randint(-5, 20))
            if shift.starts_at <= NOW:
                signup.checked_in_at = arrived
            if shift.ends_at <= NOW:
                signup.checked_out_at = left
                signup.minutes = int((left - arrived).total_seconds() // 60)
            signups.append(signup)
    SignUp.objects.bulk_create(signups, batch_size=500)


def testing_notice(demo: Demo) -> None:
    """The committee's notice of the whole college's testing, written from
    the day's shifts at the testing site: where, from when, and who keeps order."""
    day = TESTING_NOTICE_DAY
    shifts = Shift.objects.filter(
        title=TESTING,
        starts_at__gte=_at(day, dt.time(0)),
        starts_at__lt=_at(day + dt.timedelta(days=1), dt.time(0)),
    ).select_related("team")
    first = min(shifts, key=lambda shift: shift.starts_at)
    teams = "和".join(dict.fromkeys(shift.team.name for shift in shifts))
    starts = first.starts_at.astimezone(clock.BEIJING)
    body = (
        f"{day.month}月{day.day}日{starts:%H:%M}起在{first.place}开展全员核酸检测。"
        "在校学生按楼栋分时段下楼，佩戴口罩、保持一米间距；"
        f"{teams}负责现场秩序。请于今天18:00前点击“收到”。"
    )
    send_notice(
        demo,
        Sent(
            SECRETARY,
            TESTING_NOTICE_AT,
            f"关于{day.month}月{day.day}日开展全员核酸检测的通知",
            body,
            everyone(),
            deadline=TESTING_NOTICE_DEADLINE,
            read=0.98,
            acknowledged=0.96,
            reminded_after=[8.0],
        ),
        demo.rng("testing notice"),
    )


def duty_roster(demo: Demo) -> None:
    """The duty rota day by day: each member on site or working from home."""
    rng = demo.rng("duty roster")
    rota = duty_rota(demo)
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    roles = {demo.posts[post].pk: role for post, role in POST_ROLES.items()}
    recorded_by = demo.user(Role.LEADER)
    rows = []
    day = FIRST_DAY
    while day <= TODAY:
        for person in rota.members:
            on_site = rota.is_on_site(person.pk, day)
            if not on_site:
                role = REMOTE_ROLE
            elif person == counsellor:
                role = rng.choice(COUNSELLOR_ROLES)
            else:
                role = roles.get(person.pk) or rng.choice(STAFF_ROLES)
            mode = DutyDay.Mode.ON_SITE if on_site else DutyDay.Mode.REMOTE
            rows.append(
                DutyDay(person=person, date=day, mode=mode, role=role, recorded_by=recorded_by)
            )
        day += dt.timedelta(days=1)
    DutyDay.objects.bulk_create(rows)


def community_service(demo: Demo) -> None:
    """Reports of service at home: the 18 party members', approved, and a few others'."""
    rng = demo.rng("community service")
    students = {person.pk: person for person in demo.students}
    # Where each student at home spent the lockdown, from their check-ins.
    home: dict[int, tuple[str, str]] = {}
    for checkin in demo.checkins:
        if checkin.location == Location.HOME and checkin.person_id in students:
            home.setdefault(checkin.person_id, (checkin.province, checkin.city))
    counsellor_of = {cls.pk: cls.counsellor for cls in demo.classes}
    zhao = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    party = sorted(pk for pk in home if students[pk].is_party_member)
    others = sorted(pk for pk in home if not students[pk].is_party_member)
    rng.shuffle(others)
    waiting = [pk for pk in others if counsellor_of.get(students[pk].admin_class_id or 0) == zhao][
        :2
    ]
    rest = [pk for pk in others if pk not in waiting]
    reports = []
    first, last = FIRST_DAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)
    span = (last - first).days

    def report(pk: int, status: str, note: str = "") -> ServiceReport:
        province, city = home[pk]
        day = first + dt.timedelta(days=rng.randint(0, span))
        submitted = _at(day, dt.time(rng.randint(18, 22), rng.randrange(60)))
        place = f"{names().get(city, '')}{rng.choice('东西南北')}城社区"
        made = ServiceReport(
            person_id=pk,
            date=day,
            province=province,
            city=city,
            place=place,
            activity="、".join(rng.sample(ACTIVITIES, 2)),
            hours=Decimal(rng.choice((2, 3, 3.5, 4, 5, 6))),
            status=status,
            submitted_at=submitted,
        )
        if status != ServiceReport.Status.SUBMITTED:
            made.reviewed_by = counsellor_of.get(students[pk].admin_class_id or 0)
            made.reviewed_at = min(submitted + dt.timedelta(hours=rng.uniform(10, 30)), NOW)
            made.review_note = note
        return made

    for pk in party:
        reports += [report(pk, ServiceReport.Status.APPROVED) for _ in range(rng.randint(1, 3))]
    for pk in rest[:OTHER_REPORTERS]:
        reports.append(report(pk, ServiceReport.Status.APPROVED))
    if len(rest) > OTHER_REPORTERS:
        reports.append(
            report(
                rest[OTHER_REPORTERS], ServiceReport.Status.RETURNED, "请写明服务的具体内容和时长"
            )
        )
    reports += [report(pk, ServiceReport.Status.SUBMITTED) for pk in waiting]
    ServiceReport.objects.bulk_create(reports)


VOLUNTEER_STEPS: tuple[Callable[[Demo], None], ...] = (
    testing_site_shifts,
    testing_notice,
    duty_roster,
    community_service,
)
