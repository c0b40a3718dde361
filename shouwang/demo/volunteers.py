"""The lockdown's volunteer work: shifts at the testing site, the staff duty
roster and the community service of students at home.

The party members' vanguard post and work team keep order at the nucleic-acid
testing in the 体育馆 (核酸检测秩序维护), morning and afternoon on the testing
days; their leads checked them in and out, so the hours are what the shifts
say. This morning's shift, at the whole-college testing of 4月16日, is under
way (checked in, not yet out), and tomorrow's still has places.

The duty roster: 辅导员赵璞 on site every day from 4月2日 (the seed's "将近半月"),
in the roles the seed gives her, and the rest of the staff duty team taking
turns on site, the others working from home. Fifteen days today: the daily job
tells the leaders she is due a relief.

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
from .lockdown import FIRST_DAY, NOW, TODAY
from .notices import DUTY_TEAM, VANGUARD_POST, WORK_TEAM

TESTING = "核酸检测秩序维护"
GYM = "体育馆"
# The college-wide testing days, and the two stints of each.
TESTING_DAYS = [dt.date(2022, 4, d) for d in (3, 5, 7, 9, 11, 13, 15, 16, 17)]
STINTS = ((dt.time(8, 0), dt.time(11, 0)), (dt.time(14, 0), dt.time(17, 0)))
PLACES = 6
# Tomorrow's morning is left with places to take.
TOMORROW_TAKEN = 3

COUNSELLOR_ROLES = ("宿舍管理员", "心理疏导", "协助医务人员", "参会联络员", "班级走访")
STAFF_ROLES = ("值班", "物资接收", "校门值守", "值班")
ON_SITE_EACH_DAY = 2

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
    signups = []
    for shift in shifts:
        pool = members[shift.team_id]
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


def duty_roster(demo: Demo) -> None:
    """赵璞 on site every day of the lockdown; the rest of the duty team in turns."""
    rng = demo.rng("duty roster")
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    team = demo.teams[DUTY_TEAM]
    others = list(
        team.memberships.exclude(person=counsellor)
        .order_by("person__number")
        .values_list("person_id", flat=True)
    )
    recorded_by = demo.user(Role.LEADER)
    rows = []
    day, turn = FIRST_DAY, 0
    while day <= TODAY:
        rows.append(
            DutyDay(
                person=counsellor,
                date=day,
                mode=DutyDay.Mode.ON_SITE,
                role=rng.choice(COUNSELLOR_ROLES),
                recorded_by=recorded_by,
            )
        )
        on_site = {others[(turn + n) % len(others)] for n in range(ON_SITE_EACH_DAY)}
        turn += ON_SITE_EACH_DAY
        rows += [
            DutyDay(
                person_id=person_id,
                date=day,
                mode=DutyDay.Mode.ON_SITE if person_id in on_site else DutyDay.Mode.REMOTE,
                role=rng.choice(STAFF_ROLES) if person_id in on_site else "居家办公",
                recorded_by=recorded_by,
            )
            for person_id in others
        ]
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
    duty_roster,
    community_service,
)
