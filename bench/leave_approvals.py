"""Benchmark: leave approvals over a term for 30,000 students: the approver's
queue, the counsellor's list of their classes' requests and the overdue list.

    .venv/bin/python bench/leave_approvals.py [--students 30000] [--weeks 18]
        [--repeat 15] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --students students in
classes of 40 across ten colleges, a counsellor for every four classes and a
学工副书记 in each college; the kinds a college grants (病假, 事假, 离校,
外出就医, 返校) with their chains (the counsellor; then the 学工副书记 for
leave over 3 working days or leaving 太原); then a term of --weeks weeks of
requests up to now, about 1.4 a student, of a realistic mix of kinds and
statuses: most approved, with the gate's exit and return or the reported
return confirmed; some rejected, returned, withdrawn, cancelled by an
approved change; a few not back in time (overdue); those of the last day
mostly still waiting, on the counsellor or, once approved there, on the
学工副书记, a few older ones reminded and escalated. Everything is written
with bulk_create, shaped as `shouwang.leave.actions` makes it (the step,
approver and waiting time of a pending request, the decisions' dates, one
history row for each submission, decision, exit, return, report and
change); the messages and audit entries the actions also write are left
out, as no page measured reads them. The shape is checked against the
actions (`applicable_steps`, `approver_for`) on a sample.

It builds the term in two halves of the students, one tenth and the rest,
and after each measures every page of PAGES whose URL name resolves (a page
not built yet is skipped, and said so): cold (the first request) and the
median and p95 of --repeat, with the statements of one request, which must
not grow with the data. It measures the trivial view (/health/) the same
way, for the ratio.

Target (PostgreSQL, full size): each page under 50 ms, the same statements
at both sizes. --smoke runs 1,000 students and checks the shape: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from _common import build_university, loadavg, machine, report, setup_django, time_page

PAGE_TARGET_MS = 50.0
TAIYUAN = ("14", "1401")
ELSEWHERE = [("14", "1402"), ("14", "1407"), ("11", "110105"), ("41", "4101"), ("61", "6101")]
# (name, whereabouts, needs a destination, share of requests, hours it lasts)
KINDS = [
    ("病假", "on_campus", False, 35, (8, 72)),
    ("事假", "away", True, 25, (3, 48)),
    ("外出就医", "away", True, 20, (3, 8)),
    ("离校", "away", True, 15, (48, 240)),
    ("返校", "on_campus", False, 5, (1, 2)),
]
HOURS = {kind[0]: kind[4] for kind in KINDS}
# Requests a student asks in a term: 0 to 4, about 1.4 on average.
REQUESTS_PER_STUDENT = ([0, 1, 2, 3, 4], [30, 30, 20, 12, 8])
# Of the requests decided: how each ended.
OUTCOMES = (["approved", "rejected", "returned", "withdrawn"], [90, 4, 3, 3])
CANCELLED_SHARE = 0.01
OVERDUE_SHARE = 0.002
REPORTED_SHARE = 0.3  # of the returns: reported (销假) rather than scanned
WAITING_SHARE = 0.6  # of the last day's requests: still waiting
STALE_SHARE = 0.001  # of the older requests: still waiting, reminded or escalated
DECIDE_WITHIN = dt.timedelta(hours=24)

# The pages measured: (label, URL name, who asks, argument). The first
# JUDGED are the approvers' pages the target is for; the others, the
# requester's list and a request's page, show what the frame costs.
PAGES = [
    ("queue, as a counsellor", "leave:queue", "counsellor", None),
    ("queue, as 学工副书记", "leave:queue", "deputy", None),
    ("classes' requests, as a counsellor", "leave:request_list", "counsellor", None),
    ("overdue, as a counsellor", "leave:overdue", "counsellor", None),
    ("my requests, as a student", "leave:index", "student", None),
    ("a request, as its counsellor", "leave:request_detail", "counsellor", "request"),
]
JUDGED = 4


@dataclass
class World:
    now: dt.datetime
    kinds: dict[str, Any]
    steps: dict[str, list[Any]]
    deputy_of: dict[int, Any]
    gate: Any
    users: dict[str, Any] = field(default_factory=dict)
    request: Any = None


@cache
def working_days(first: dt.date, last: dt.date) -> int:
    from shouwang.core.calendar import working_days_between

    return working_days_between(first, last)


def make_world(students: int, now: dt.datetime) -> World:
    """The university, the kinds and chains, the 学工副书记 of each college."""
    from shouwang.leave.models import ChainStep, LeaveKind, Post, PostHolder
    from shouwang.people.models import Person, Unit

    build_university(students)
    colleges = list(Unit.objects.filter(kind=Unit.Kind.COLLEGE).order_by("pk"))
    deputies = Person.objects.bulk_create(
        Person(
            number=f"D{n:05d}",
            name=f"副书记{n}",
            kind=Person.Kind.STAFF,
            unit=college,
            name_pinyin=f"fushuji{n}",
            name_initials="fsj",
        )
        for n, college in enumerate(colleges)
    )
    gate = Person.objects.create(number="G00001", name="门岗", kind=Person.Kind.STAFF)
    post = Post.objects.create(name="学工副书记")
    PostHolder.objects.bulk_create(
        PostHolder(post=post, unit=college, person=deputy)
        for college, deputy in zip(colleges, deputies, strict=True)
    )
    kinds, steps = {}, {}
    for position, (name, where, destination, _share, _hours) in enumerate(KINDS):
        kind = LeaveKind.objects.create(
            name=name,
            whereabouts=where,
            needs_destination=destination,
            needs_attachment=name == "外出就医",
            position=position,
        )
        chain = [ChainStep.objects.create(kind=kind, position=1, approver="counsellor")]
        if name in ("事假", "离校"):
            chain.append(
                ChainStep.objects.create(
                    kind=kind,
                    position=2,
                    approver="post",
                    post=post,
                    over_working_days=3,
                    outside_city=TAIYUAN[1],
                )
            )
        kinds[name], steps[name] = kind, chain
    deputy_of = {college.pk: deputy for college, deputy in zip(colleges, deputies, strict=True)}
    return World(now, kinds, steps, deputy_of, gate)


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def make_term(world: World, weeks: int, phase: int, rng: random.Random) -> tuple[int, int]:
    """The term's requests of the students in `phase` (0: one in ten, 1: the
    rest) and their history; returns (requests, history rows) written."""
    from shouwang.leave.models import LeaveRequest, LeaveStep
    from shouwang.people.models import Person

    students = Person.objects.filter(kind=Person.Kind.STUDENT).order_by("pk")
    rows = students.values_list("pk", "unit_id", "admin_class__counsellor_id")
    start = world.now - dt.timedelta(weeks=weeks)
    requests: list[LeaveRequest] = []
    history: list[list[LeaveStep]] = []
    changes: list[tuple[int, LeaveRequest, list[LeaveStep]]] = []
    for person_id, unit_id, counsellor_id in rows:
        if (person_id % 10 == 0) != (phase == 0):
            continue
        approvers = {1: counsellor_id, 2: world.deputy_of[unit_id].pk}
        for _ in range(rng.choices(*REQUESTS_PER_STUDENT)[0]):
            leave, steps, change = _request(world, person_id, approvers, start, rng)
            if change is not None:
                changes.append((len(requests), *change))
            requests.append(leave)
            history.append(steps)
    LeaveRequest.objects.bulk_create(requests, batch_size=2000)
    for index, change, _steps in changes:
        change.amends = requests[index]
    LeaveRequest.objects.bulk_create([change for _i, change, _s in changes], batch_size=2000)
    pairs = list(zip(requests, history, strict=True))
    pairs += [(change, steps) for _i, change, steps in changes]
    made = []
    for leave, steps in pairs:
        for step in steps:
            step.request = leave
        made += steps
    LeaveStep.objects.bulk_create(made, batch_size=5000)
    return len(pairs), len(made)


def _request(world: World, person_id: int, approvers: dict, start: dt.datetime, rng) -> tuple:
    """One request as the actions leave it by now, its history, and the
    change that cancelled it if one did."""
    from django.utils import timezone

    from shouwang.leave.models import LeaveRequest, LeaveStep

    name = rng.choices([kind[0] for kind in KINDS], [kind[3] for kind in KINDS])[0]
    kind, chain = world.kinds[name], world.steps[name]
    span = (world.now - start).total_seconds()
    asked = _minute(start + dt.timedelta(seconds=rng.uniform(0, span)))
    starts_at = _minute(asked + dt.timedelta(hours=rng.uniform(2, 72)))
    ends_at = starts_at + dt.timedelta(hours=rng.randint(*HOURS[name]))
    place = ("", "")
    if kind.needs_destination:
        far = name != "外出就医" and rng.random() < 0.4
        place = rng.choice(ELSEWHERE) if far else TAIYUAN
    leave = LeaveRequest(
        person_id=person_id,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        province=place[0],
        city=place[1],
        reason="去医院复查" if name == "外出就医" else "家中有事",
        contact_name="家长",
        contact_phone="13800000000",
        submitted_at=asked,
    )
    days = working_days(timezone.localdate(starts_at), timezone.localdate(ends_at))
    second = len(chain) > 1 and (days > 3 or place[1] != TAIYUAN[1])
    applicable = chain if second else chain[:1]
    steps = [LeaveStep(event="submitted", at=asked, by_id=person_id)]
    decided = _decide(world, leave, applicable, approvers, steps, rng)
    change = None
    if decided and leave.status == "approved":
        _pass(world, leave, steps, rng)
        if leave.back_at is None and rng.random() < CANCELLED_SHARE:
            change = _cancel(world, leave, steps, rng)
    return leave, steps, change


def _decide(world, leave, applicable, approvers, steps, rng) -> bool:
    """Each step approves or ends it, or it still waits; False if it waits."""
    from shouwang.leave.models import LeaveStep

    at = leave.submitted_at
    recent = world.now - at < dt.timedelta(days=1)
    waits = (recent and rng.random() < WAITING_SHARE) or rng.random() < STALE_SHARE
    outcome = rng.choices(*OUTCOMES)[0]
    if outcome == "withdrawn" and not waits:
        leave.status = "withdrawn"
        withdrawn = _later(at, world, rng)
        steps.append(LeaveStep(event="withdrawn", at=withdrawn, by_id=leave.person_id))
        return True
    for number, step in enumerate(applicable, start=1):
        waiting_here = waits and (number == len(applicable) or rng.random() < 0.7)
        if waiting_here:
            leave.status, leave.step, leave.approver_id = "pending", step, approvers[number]
            leave.waiting_since = at
            if world.now - at > DECIDE_WITHIN:
                leave.reminded_at = at + DECIDE_WITHIN
                steps.append(LeaveStep(event="reminded", at=leave.reminded_at, step=step))
            if world.now - at > 2 * DECIDE_WITHIN:
                leave.escalated_at = at + 2 * DECIDE_WITHIN
                steps.append(LeaveStep(event="escalated", at=leave.escalated_at, step=step))
            return False
        at = _later(at, world, rng)
        by = approvers[number]
        if outcome in ("rejected", "returned") and number == len(applicable):
            note = "封控期间非必要不离校" if outcome == "rejected" else "请补充就诊证明"
            steps.append(LeaveStep(event=outcome, at=at, by_id=by, step=step, note=note))
            leave.status, leave.decided_at = outcome, at
            return True
        steps.append(LeaveStep(event="approved", at=at, by_id=by, step=step))
    leave.status, leave.decided_at = "approved", at
    return True


def _later(at: dt.datetime, world: World, rng: random.Random) -> dt.datetime:
    return min(_minute(at + dt.timedelta(minutes=rng.randint(10, 600))), world.now)


def _pass(world, leave, steps, rng) -> None:
    """The exit and the return of a leave away, as far as now has come."""
    from shouwang.leave.models import LeaveStep

    if leave.kind.whereabouts != "away" or leave.starts_at > world.now:
        return
    left = _minute(leave.starts_at + dt.timedelta(minutes=rng.randint(-30, 30)))
    leave.left_at = min(left, world.now)
    steps.append(LeaveStep(event="left", at=leave.left_at, by=world.gate))
    back = _minute(leave.ends_at - dt.timedelta(minutes=rng.randint(0, 120)))
    if back > world.now or rng.random() < OVERDUE_SHARE:
        return
    if rng.random() < REPORTED_SHARE:
        leave.back_reported_at = back
        steps.append(LeaveStep(event="back_reported", at=back, by_id=leave.person_id))
        confirmed = min(back + dt.timedelta(hours=rng.randint(1, 20)), world.now)
        steps.append(LeaveStep(event="back_confirmed", at=confirmed, by_id=None))
    else:
        steps.append(LeaveStep(event="came_back", at=back, by=world.gate))
    leave.back_at = back


def _cancel(world, leave, steps, rng):
    """An approved leave called off: a change request approved by the counsellor."""
    from shouwang.leave.models import LeaveRequest, LeaveStep

    at = _later(leave.decided_at, world, rng)
    decided = _later(at, world, rng)
    counsellor = next(step.by_id for step in steps if step.event == "approved")
    change = LeaveRequest(
        person_id=leave.person_id,
        kind=leave.kind,
        starts_at=leave.starts_at,
        ends_at=leave.ends_at,
        province=leave.province,
        city=leave.city,
        reason="计划有变，取消请假",
        contact_name=leave.contact_name,
        contact_phone=leave.contact_phone,
        change="cancel",
        status="approved",
        submitted_at=at,
        decided_at=decided,
    )
    change_steps = [
        LeaveStep(event="submitted", at=at, by_id=leave.person_id),
        LeaveStep(
            event="approved", at=decided, by_id=counsellor, step=world.steps[leave.kind.name][0]
        ),
    ]
    leave.status = "cancelled"
    steps.append(LeaveStep(event="changed", at=decided, by_id=leave.person_id, note="cancelled"))
    return change, change_steps


def make_users(world: World) -> None:
    """The logins the pages are measured as: the first college's first
    counsellor and its 学工副书记, and a student of theirs with requests."""
    from shouwang.accounts.models import User
    from shouwang.leave.models import LeaveRequest
    from shouwang.people.models import AdminClass

    first = AdminClass.objects.order_by("pk").select_related("counsellor", "unit").first()
    if first is None or first.counsellor is None:
        raise SystemExit("no class with a counsellor")
    request = (
        LeaveRequest.objects.filter(person__admin_class=first, status="approved")
        .order_by("-submitted_at")
        .first()
    )
    if request is None:
        raise SystemExit("no approved request in the first class")
    people = {
        "counsellor": first.counsellor,
        "deputy": world.deputy_of[first.unit_id],
        "student": request.person,
    }
    for role, person in people.items():
        world.users[role] = User.objects.create(
            username=f"bench-{role}", person=person, must_change_password=False
        )
    world.request = request


def check_shape(world: World, sample: int, rng: random.Random) -> None:
    """Pending requests wait where the actions would have put them; every
    request has one submission; nothing is dated after now."""
    from django.db.models import Count, Q

    from shouwang.leave import actions
    from shouwang.leave.models import LeaveRequest, LeaveStep

    pending = list(
        LeaveRequest.objects.filter(status="pending").select_related(
            "person__admin_class__counsellor", "kind", "step"
        )
    )
    for leave in rng.sample(pending, min(sample, len(pending))):
        steps = actions.applicable_steps(leave)
        if leave.step not in steps:
            raise SystemExit(f"request {leave.pk} waits at a step that does not apply")
        if leave.approver != actions.approver_for(leave.step, leave.person):
            raise SystemExit(f"request {leave.pk} waits on the wrong approver")
    odd = LeaveRequest.objects.annotate(
        asked=Count("history", filter=Q(history__event="submitted"))
    ).exclude(asked=1)
    if odd.exists():
        raise SystemExit("a request without exactly one submission")
    later = LeaveStep.objects.filter(at__gt=world.now).count()
    later += LeaveRequest.objects.filter(
        Q(submitted_at__gt=world.now) | Q(decided_at__gt=world.now) | Q(back_at__gt=world.now)
    ).count()
    if later:
        raise SystemExit(f"{later} rows dated after now")


def page_url(name: str, argument: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=[argument.pk] if argument is not None else [])
    except NoReverseMatch:
        return None


def measure(world: World, repeat: int) -> dict[str, tuple[float, int]]:
    """Each page that resolves: (median ms, statements)."""
    from _common import trivial_rate
    from django.test import Client

    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    figures = {}
    for label, name, role, argument in PAGES:
        url = page_url(name, world.request if argument == "request" else None)
        if url is None:
            print(f"  {label}: skipped, {name} does not resolve here")
            continue
        timing = time_page(clients[role], f"{label} ({url})", url, repeat, width=52)
        figures[label] = (timing.median_ms, timing.statements)
    rate = trivial_rate(clients["counsellor"], max(200, repeat * 20))
    ratios = "; ".join(f"{label} {ms * rate / 1000:.0f}×" for label, (ms, _s) in figures.items())
    print(f"  trivial view (/health/): {rate:,.0f} requests/s, {1000 / rate:.2f} ms each")
    print(f"  per trivial request: {ratios}")
    return figures


def counts() -> str:
    from django.db.models import Count

    from shouwang.leave.models import LeaveRequest

    by_status = dict(LeaveRequest.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return ", ".join(f"{status} {n:,}" for status, n in sorted(by_status.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--weeks", type=int, default=18)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="1,000 students; shape checked")
    args = parser.parse_args()
    if args.smoke:
        args.students, args.repeat = 1_000, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-leave-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command
        from django.db import connection, transaction

        from shouwang.lib import clock

        call_command("migrate", verbosity=0)
        rng = random.Random(22)  # noqa: S311
        now = _minute(clock.now())
        print(f"{args.students:,} students, a term of {args.weeks} weeks of leave requests:")
        print(f"{machine()}; load average {loadavg()}")
        started = time.perf_counter()
        with transaction.atomic():
            world = make_world(args.students, now)
        report("the university, kinds and chains", time.perf_counter() - started)
        sizes = {}
        for phase, label in ((0, "one student in ten"), (1, "every student")):
            started = time.perf_counter()
            with transaction.atomic():
                made, history = make_term(world, args.weeks, phase, rng)
                if phase == 0:
                    make_users(world)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            report(
                f"the term's requests of {label}",
                time.perf_counter() - started,
                f"{made:,} requests, {history:,} history rows",
            )
            check_shape(world, 50 if args.smoke else 500, rng)
            print(f"  requests: {counts()}")
            print(f"server time per request ({label}):")
            sizes[label] = measure(world, args.repeat)
        vendor = connection.vendor

    small, full = sizes.values()
    grown = [label for label in full if full[label][1] != small.get(label, full[label])[1]]
    if grown:
        raise SystemExit(f"statements grow with the data: {', '.join(grown)}")
    print("statements: the same at both sizes")
    if args.smoke:
        print("smoke: the requests are shaped as the actions make them")
        return
    if args.students != 30_000:
        print("target: set for 30,000 students; not judged here")
        return
    print("target:")
    judged = {label for label, *_rest in PAGES[:JUDGED]}
    for label, (median, _statements) in full.items():
        if label not in judged:
            continue
        met = "PASS" if median < PAGE_TARGET_MS else "FAIL"
        print(f"  {met}: {label} under {PAGE_TARGET_MS:.0f} ms ({vendor}): median {median:.1f} ms")


if __name__ == "__main__":
    main()
