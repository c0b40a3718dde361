"""Check-ins against approved leave: a place the leave contradicts is
flagged for the counsellor (never judged), and so, under a regime asking for
leave to be off campus, is an off-campus check-in with none."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.checkins.tests.base import NOW, STARTED, IncidentTestCase, check_in
from shouwang.checkins.tests.test_checkin import CheckInTestCase, beijing
from shouwang.leave.models import LeaveKind, LeaveRequest
from shouwang.leave.tests.base import make_kinds
from shouwang.leave.tests.whereabouts import BEIJING, TAIYUAN, granted
from shouwang.screening import rules
from shouwang.screening.models import Flag

Reason = Flag.Reason
# The leave began the evening before the check-in's day.
START = NOW - dt.timedelta(hours=15)


class LeaveFlagsTestCase(IncidentTestCase):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_kinds(cls)

    def reasons(self, person=None, **fields) -> list[str]:
        person = person or self.student_a
        # One check-in a day: each call screens a fresh one.
        CheckIn.objects.filter(person=person).delete()
        Flag.objects.filter(person=person).delete()
        checkin = check_in(person, self.incident, **fields)
        rules.flag_checkin(checkin)
        return sorted(Flag.objects.filter(person=person).values_list("reason", flat=True))

    def require_leave(self):
        self.incident.leave_required = True
        self.incident.save(update_fields=["leave_required"])

    def test_off_campus_in_another_city_than_the_leaves_is_flagged(self):
        granted(self.student_a, self.away, start=START, city=BEIJING)
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [Reason.LEAVE])

    def test_at_home_in_the_leaves_city_is_not(self):
        granted(self.student_a, self.away, start=START, city=BEIJING)
        self.assertEqual(self.reasons(location="home", province="11", city="110105"), [])

    def test_a_check_in_naming_only_another_province_is_flagged(self):
        granted(self.student_a, self.away, start=START, city=BEIJING)
        self.assertEqual(self.reasons(location="elsewhere", province="14"), [Reason.LEAVE])

    def test_staff_let_onto_the_campus_checking_in_from_home_are_flagged(self):
        granted(self.teacher_person, self.entry, start=START)
        self.assertEqual(
            self.reasons(self.teacher_person, location="home", province="14", city="1401"),
            [Reason.LEAVE],
        )
        self.assertEqual(self.reasons(self.teacher_person, location="campus"), [])

    def test_out_at_the_gate_and_on_campus_is_flagged(self):
        granted(self.student_a, self.away, start=START, left_at=START)
        self.assertEqual(self.reasons(location="campus"), [Reason.LEAVE])

    def test_on_leave_but_not_yet_out_at_the_gate_and_on_campus_is_not(self):
        granted(self.student_a, self.away, start=START)
        self.assertEqual(self.reasons(location="campus"), [])

    def test_back_through_the_gate_is_not(self):
        granted(self.student_a, self.away, start=START, left_at=START, back_at=NOW)
        self.assertEqual(self.reasons(location="campus"), [])

    def test_sick_leave_names_no_place_to_differ_from(self):
        granted(self.student_a, self.sick, start=START)
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [])

    def test_one_leave_agreeing_is_enough(self):
        granted(self.student_a, self.away, start=START, city=BEIJING)
        granted(self.student_a, self.away, start=START, city=TAIYUAN)
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [])

    def test_a_leave_not_approved_or_of_another_day_does_not_count(self):
        granted(self.student_a, self.away, start=START, status=LeaveRequest.Status.PENDING)
        granted(self.student_a, self.away, start=START - dt.timedelta(days=3), left_at=STARTED)
        self.assertEqual(self.reasons(location="campus"), [])
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [])

    def test_an_approved_cancellation_is_not_a_leave(self):
        leave = granted(
            self.student_a,
            self.away,
            start=START,
            left_at=START,
            status=LeaveRequest.Status.CANCELLED,
        )
        granted(
            self.student_a,
            self.away,
            start=START,
            left_at=START,
            amends=leave,
            change=LeaveRequest.Change.CANCEL,
        )
        self.assertEqual(self.reasons(location="campus"), [])

    def test_under_a_regime_requiring_leave_off_campus_without_it_is_flagged(self):
        self.require_leave()
        self.assertEqual(
            self.reasons(location="home", province="14", city="1401"), [Reason.NO_LEAVE]
        )

    def test_under_it_on_campus_or_with_leave_is_not(self):
        self.require_leave()
        self.assertEqual(self.reasons(location="campus"), [])
        granted(self.student_b, self.away, start=START, city=TAIYUAN)
        self.assertEqual(
            self.reasons(self.student_b, location="home", province="14", city="1401"), []
        )

    def test_without_leave_under_a_regime_not_requiring_it_nothing_is_flagged(self):
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [])

    def test_a_check_in_is_screened_against_leave_in_one_query(self):
        granted(self.student_a, self.away, start=START, city=BEIJING)
        checkin = check_in(self.student_a, self.incident, location="campus")
        with self.assertNumQueries(1):
            self.assertEqual(rules.flag_reasons(checkin), [])


class LeaveFlagPagesTestCase(IncidentTestCase):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind
    leave: LeaveRequest
    flag: Flag

    def setUp(self):
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_kinds(cls)
        cls.leave = granted(cls.student_a, cls.away, start=START, city=BEIJING, left_at=START)
        cls.flag = Flag.objects.create(
            person=cls.student_a, incident=cls.incident, date=NOW.date(), reason=Reason.LEAVE
        )

    def test_the_flag_shows_its_reason_and_the_leave_it_contradicts(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("screening:flag_detail", args=[self.flag.pk]))
        self.assertContains(response, "whereabouts differ from leave")
        self.assertContains(response, reverse("leave:request_detail", args=[self.leave.pk]))
        self.assertContains(response, "on approved leave: 离校, until")
        self.assertContains(response, "北京市")
        self.assertContains(response, "left through the gate")

    def test_the_flag_list_names_the_reason_and_filters_by_it(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("screening:flag_list"), {"reason": "leave"})
        self.assertEqual([flag for flag, _outcome in response.context["rows"]], [self.flag])
        self.assertContains(response, "whereabouts differ from leave")

    def test_another_reasons_flag_reads_no_leave(self):
        other = Flag.objects.create(
            person=self.student_a, incident=self.incident, date=NOW.date(), reason=Reason.FEVER
        )
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("screening:flag_detail", args=[other.pk]))
        self.assertEqual(response.context["leaves"], [])


@freeze_time(beijing(2022, 4, 15, 8, 31))
class StoredCheckInAgainstLeaveTestCase(CheckInTestCase):
    sick: LeaveKind
    away: LeaveKind
    entry: LeaveKind

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_kinds(cls)

    def test_a_check_in_contradicting_leave_is_flagged_as_it_comes_in(self):
        granted(self.student_a, self.away, start=beijing(2022, 4, 14, 18, 0), city=BEIJING)
        self.accept()
        self.login(self.student)
        self.submit(location="home", province="14", city="1401")
        reasons = set(Flag.objects.filter(person=self.student_a).values_list("reason", flat=True))
        self.assertEqual(reasons, {Reason.LEAVE})

    def test_at_home_where_the_leave_says_raises_nothing(self):
        granted(self.student_a, self.away, start=beijing(2022, 4, 14, 18, 0), city=BEIJING)
        self.accept()
        self.login(self.student)
        self.submit(location="home", province="11", city="110105")
        self.assertFalse(Flag.objects.exists())
