"""The demo's leave: consistent with the lockdown's check-ins and duty roster,
one student late back, work waiting on the counsellor login, nothing after
the demo's now."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.checkins.models import CheckIn, Location
from shouwang.demo import build
from shouwang.demo.college import COUNSELLOR_NAME
from shouwang.demo.leave import AWAY, DEPUTY_POST, ENTRY, HOSPITAL, SICK
from shouwang.demo.lockdown import NOW, TAIYUAN, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.leave import actions
from shouwang.leave.models import ChainStep, LeaveKind, LeaveRequest, LeaveStep
from shouwang.lib import clock
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.volunteers.models import DutyDay

Status, Event = LeaveRequest.Status, LeaveStep.Event


def days_of(leave: LeaveRequest) -> list[dt.date]:
    first, last = leave.local_start.date(), min(leave.local_end.date(), TODAY)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


class DemoLeaveTestCase(TestCase):
    requests: QuerySet[LeaveRequest]

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.requests = LeaveRequest.objects.select_related("person", "kind")

    def login(self, role: Role) -> None:
        self.client.force_login(DemoLogin.objects.get(role=role).user)

    def test_the_kinds_a_college_grants_with_their_chains(self):
        self.assertEqual(
            set(LeaveKind.objects.values_list("name", flat=True)),
            {"病假", "事假", "离校", "返校", "入校", "外出就医"},
        )
        away = ChainStep.objects.filter(kind__name=AWAY).order_by("position")
        self.assertEqual(
            [(step.approver, step.over_working_days, step.outside_city) for step in away],
            [("counsellor", None, ""), ("post", 3, TAIYUAN)],
        )
        self.assertEqual(away.filter(post__name=DEPUTY_POST).get().position, 2)
        self.assertEqual(LeaveKind.objects.get(name=ENTRY).who, LeaveKind.Who.STAFF)

    def test_every_student_at_home_is_on_an_approved_leave_to_the_same_city(self):
        at_home = CheckIn.objects.filter(location=Location.HOME, person__kind="student")
        self.assertGreater(at_home.values("person").distinct().count(), 50)
        for checkin in at_home.select_related("person"):
            covering = LeaveRequest.objects.filter(
                person=checkin.person, amends__isnull=True, city=checkin.city
            ).covering(checkin.date)
            self.assertTrue(covering.exists(), f"{checkin.person.name} {checkin.date}")
        # Asked and approved before the lockdown, for the 清明 holiday.
        away = self.requests.filter(kind__name=AWAY, status=Status.APPROVED, amends=None)
        self.assertFalse(away.filter(decided_at__gt=clock.beijing(2022, 4, 2)))

    def test_every_entry_is_a_duty_roster_person_on_campus_those_days(self):
        entries = self.requests.filter(kind__name=ENTRY)
        self.assertTrue(entries.exists())
        for leave in entries:
            self.assertEqual(leave.status, Status.APPROVED)
            self.assertLess(leave.decided_at or NOW, leave.starts_at)
            for day in days_of(leave):
                self.assertTrue(
                    DutyDay.objects.filter(
                        person=leave.person, date=day, mode=DutyDay.Mode.ON_SITE
                    ).exists()
                )
                self.assertTrue(
                    CheckIn.objects.filter(
                        person=leave.person, date=day, location=Location.CAMPUS
                    ).exists()
                )

    def test_hospital_visits_pass_the_gate_or_are_reported_back(self):
        visits = self.requests.filter(kind__name=HOSPITAL, status=Status.APPROVED)
        keeper = DemoLogin.objects.get(role=Role.GATE_KEEPER).user
        self.assertTrue(keeper.has_role(Role.GATE_KEEPER))
        self.assertTrue(LeaveStep.objects.filter(event=Event.CAME_BACK, by=keeper.person).exists())
        self.assertTrue(visits.filter(back_reported_at__isnull=False, back_at__isnull=False))
        for leave in visits.exclude(person__dorm_room=None):
            self.assertIsNotNone(leave.left_at)
            # On campus that day: checked in there.
            for day in days_of(leave):
                self.assertFalse(
                    CheckIn.objects.filter(person=leave.person, date=day)
                    .exclude(location=Location.CAMPUS)
                    .exists()
                )

    def test_one_student_is_late_back_on_the_counsellors_list(self):
        (late,) = LeaveRequest.objects.overdue(NOW)
        self.assertEqual(late.kind.name, HOSPITAL)
        self.assertEqual(late.local_end.date(), dt.date(2022, 4, 15))
        self.assertGreaterEqual(late.local_end.hour, 17)
        counsellors = Person.objects.filter(counselled_classes__students=late.person)
        self.assertEqual(counsellors.get().name, COUNSELLOR_NAME)
        self.assertEqual(late.person.gender, "M")
        self.assertIsNotNone(late.left_at)
        self.assertFalse(CheckIn.objects.filter(person=late.person, date=TODAY).exists())

    def test_rejected_and_returned_requests_say_why(self):
        for event, count in ((Event.REJECTED, 2), (Event.RETURNED, 2)):
            steps = LeaveStep.objects.filter(event=event)
            self.assertEqual(steps.count(), count)
            self.assertFalse(steps.filter(note=""))
        self.assertTrue(self.requests.filter(status=Status.RETURNED).exists())
        resent = self.requests.get(history__event=Event.RESUBMITTED)
        self.assertEqual(resent.status, Status.APPROVED)
        self.assertTrue(self.requests.filter(status=Status.REJECTED, city__startswith="31"))

    def test_one_leave_is_extended(self):
        change = self.requests.get(change=LeaveRequest.Change.EXTEND)
        self.assertEqual(change.status, Status.APPROVED)
        self.assertEqual(change.ends_at, LeaveRequest.objects.get(changes=change).ends_at)

    def test_work_waits_on_the_counsellor_login_one_reminded(self):
        counsellor = DemoLogin.objects.get(role=Role.COUNSELLOR).user
        waiting = self.requests.filter(status=Status.PENDING)
        self.assertGreaterEqual(waiting.filter(approver=counsellor.person).count(), 3)
        (reminded,) = waiting.filter(reminded_at__isnull=False)
        since, limit = reminded.waiting_since or NOW, reminded.kind.decide_within
        self.assertLess(since + limit, NOW)
        self.assertGreater(since + 2 * limit, NOW)
        self.assertTrue(reminded.history.filter(event=Event.REMINDED).exists())
        self.assertTrue(self.requests.filter(kind__name=SICK, status=Status.PENDING))

    def test_the_student_login_has_a_past_pass_and_checks_in_today(self):
        student = DemoLogin.objects.get(role=Role.STUDENT).user.person
        (leave,) = self.requests.filter(person=student)
        self.assertEqual(leave.status, Status.APPROVED)
        self.assertIsNotNone(leave.back_at)
        self.assertLess(leave.ends_at, clock.beijing(2022, 4, 1))
        self.assertFalse(CheckIn.objects.filter(person=student, date=TODAY).exists())

    def test_nothing_is_dated_after_now_and_everything_on_its_minute(self):
        fields = ("submitted_at", "decided_at", "left_at", "back_at", "back_reported_at")
        for name in fields:
            self.assertFalse(self.requests.filter(**{f"{name}__gt": NOW}), name)
        self.assertFalse(LeaveStep.objects.filter(at__gt=NOW))
        self.assertFalse(Message.objects.filter(kind="leave", created_at__gt=NOW))
        moments = [
            moment
            for row in LeaveRequest.objects.values_list(*fields, "waiting_since")
            for moment in row
            if moment
        ]
        moments += LeaveStep.objects.values_list("at", flat=True)
        self.assertFalse([m for m in moments if m.second or m.microsecond])

    def test_the_requests_are_what_the_actions_make(self):
        for leave in self.requests.filter(status=Status.PENDING).select_related("step"):
            self.assertIn(leave.step, actions.applicable_steps(leave))
            step = leave.step
            assert step is not None
            self.assertEqual(leave.approver, actions.approver_for(step, leave.person))
        submitted = LeaveStep.objects.filter(event=Event.SUBMITTED)
        self.assertEqual(submitted.count(), self.requests.count())
        self.assertFalse(self.requests.filter(~Q(status=Status.PENDING), approver__isnull=False))

    def test_the_logins_see_their_leave(self):
        self.login(Role.STUDENT)
        self.assertEqual(self.client.get(reverse("leave:index")).status_code, 200)
        self.login(Role.COUNSELLOR)
        late = LeaveRequest.objects.overdue(NOW).get()
        self.assertEqual(self.client.get(late.get_absolute_url()).status_code, 200)
