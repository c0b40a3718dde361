"""The pass and the gate: the holder's page with a code that renews itself,
the gate keeper's scan checked by the server (signature, age, the leave's
status and window), the exit then the return recorded once each."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time as freeze

from shouwang.accounts.models import Role, User
from shouwang.core.models import LogEntry
from shouwang.leave import actions
from shouwang.leave.audit import LeaveEvent
from shouwang.leave.models import LeaveRequest, LeaveStep
from shouwang.leave.pass_codes import token_for
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import BEIJING, MONDAY, LeaveTestCase, ask

Event = LeaveStep.Event
START = clock.at(MONDAY, dt.time(8))


def code_in(response) -> str:
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', response.content.decode())
    assert found, "no code on the page"
    return found.group(1)


class GateTestCase(LeaveTestCase):
    gate_keeper: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gate_keeper = make_user(
            make_person("S0200", "陈门卫", Person.Kind.STAFF, unit=cls.college)
        )
        cls.gate_keeper.grant(Role.GATE_KEEPER)

    def setUp(self) -> None:
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def approved(self, **kwargs) -> LeaveRequest:
        leave = ask(self.student_a, self.away, user=self.student, city=BEIJING, **kwargs)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        actions.decide(leave, Event.APPROVED, acting_user=self.leader)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)
        return leave

    def scan_url(self, leave: LeaveRequest) -> str:
        return reverse("leave:scan", args=[token_for(leave)])

    def record_url(self, leave: LeaveRequest) -> str:
        return reverse("leave:scan_record", args=[token_for(leave)])


class PassPageTests(GateTestCase):
    def test_the_holder_sees_a_code_of_the_scan_address(self):
        leave = self.approved()
        self.login(self.student)
        with freeze(START):
            response = self.client.get(reverse("leave:pass", args=[leave.pk]))
        self.assertContains(response, 'data-testid="pass-code"')
        self.assertContains(response, "张三")
        self.assertContains(response, "北京")
        # The page renews its code at half its age, by itself.
        self.assertContains(response, 'hx-trigger="every 150s"')

    @override_settings(LEAVE_PASS_MAX_AGE=60)
    def test_the_renewed_code_comes_alone_and_fresh(self):
        leave = self.approved()
        self.login(self.student)
        with freeze(START):
            first = self.client.get(reverse("leave:pass", args=[leave.pk]))
        with freeze(START + dt.timedelta(seconds=30)):
            renewed = self.client.get(
                reverse("leave:pass", args=[leave.pk]), headers={"HX-Request": "true"}
            )
        self.assertContains(renewed, 'hx-trigger="every 30s"')
        self.assertNotContains(renewed, "<nav")
        self.assertNotEqual(code_in(first), code_in(renewed))

    def test_the_counsellor_sees_the_pass_but_not_its_code(self):
        leave = self.approved()
        self.login(self.counsellor_a_user)
        with freeze(START):
            response = self.client.get(reverse("leave:pass", args=[leave.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'data-testid="pass-code"')
        self.assertContains(response, 'data-testid="holder-only"')

    def test_a_pending_or_cancelled_leave_shows_no_code(self):
        pending = ask(self.student_a, self.sick, user=self.student)
        cancelled = self.approved()
        LeaveRequest.objects.filter(pk=cancelled.pk).update(status=LeaveRequest.Status.CANCELLED)
        self.login(self.student)
        for leave in (pending, cancelled):
            with freeze(START), translation.override("en"):
                response = self.client.get(reverse("leave:pass", args=[leave.pk]))
            self.assertNotContains(response, 'data-testid="pass-code"')
            self.assertContains(response, 'data-testid="no-code"')

    def test_a_leave_over_shows_no_code(self):
        leave = self.approved()
        self.login(self.student)
        # Ended with its holder never out: no gate opens for it any more.
        with freeze(leave.ends_at + dt.timedelta(minutes=1)):
            response = self.client.get(reverse("leave:pass", args=[leave.pk]))
        self.assertNotContains(response, 'data-testid="pass-code"')

    def test_another_persons_pass_is_not_found(self):
        leave = self.approved()
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(reverse("leave:pass", args=[leave.pk])).status_code, 404)


class ScanTests(GateTestCase):
    def test_a_valid_code_shows_the_holder_and_what_it_records(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        with freeze(START), translation.override("en"):
            response = self.client.get(self.scan_url(leave))
        self.assertContains(response, 'data-testid="valid"')
        self.assertContains(response, "张三")
        self.assertContains(response, "离校")
        self.assertContains(response, "Record the exit")
        # Nothing else of the leave: not its destination, reason or contact.
        for private in ("北京", "去医院复查", "张父", "13800000000"):
            self.assertNotContains(response, private)
        entry = LogEntry.objects.get_for_object(leave).get(kind=LeaveEvent.PASS_SCANNED)
        self.assertEqual(entry.actor, self.gate_keeper)
        self.assertTrue(entry.additional_data["valid"])

    def test_the_exit_then_the_return_are_recorded(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        with freeze(START), translation.override("en"):
            response = self.client.post(self.record_url(leave), {"event": Event.LEFT})
            self.assertContains(response, 'data-testid="recorded"')
            self.assertContains(response, "out since")
        with freeze(START + dt.timedelta(hours=5)), translation.override("en"):
            response = self.client.get(self.scan_url(leave))
            self.assertContains(response, "Record the return")
            self.client.post(self.record_url(leave), {"event": Event.CAME_BACK})
        leave.refresh_from_db()
        self.assertEqual(leave.left_at, START)
        self.assertEqual(leave.back_at, START + dt.timedelta(hours=5))
        self.assertEqual(
            list(leave.history.filter(event__in=[Event.LEFT, Event.CAME_BACK]).values_list("by")),
            [(self.gate_keeper.person_id,), (self.gate_keeper.person_id,)],
        )

    def test_a_second_tap_does_not_record_the_return(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        with freeze(START), translation.override("en"):
            self.client.post(self.record_url(leave), {"event": Event.LEFT})
            again = self.client.post(self.record_url(leave), {"event": Event.LEFT})
        self.assertContains(again, "already recorded", status_code=409)
        leave.refresh_from_db()
        self.assertIsNone(leave.back_at)

    def test_an_expired_code_is_refused_and_says_so(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        with freeze(START):
            token = token_for(leave)
        with freeze(START + dt.timedelta(seconds=301)), translation.override("en"):
            response = self.client.get(reverse("leave:scan", args=[token]))
            self.assertContains(response, "has expired", status_code=400)
            self.assertNotContains(response, 'data-testid="record"', status_code=400)
            response = self.client.post(
                reverse("leave:scan_record", args=[token]), {"event": "left"}
            )
            self.assertContains(response, "has expired", status_code=400)
        leave.refresh_from_db()
        self.assertIsNone(leave.left_at)
        # The scan of a genuine code is recorded against its leave, however old.
        entry = LogEntry.objects.get_for_object(leave).get(kind=LeaveEvent.PASS_SCANNED)
        self.assertFalse(entry.additional_data["valid"])

    def test_a_tampered_code_is_refused_and_says_so(self):
        leave = self.approved()
        other = ask(self.student_b, self.sick, user=self.student_b_user)
        # Another leave's payload under this leave's timestamp and signature.
        payload, stamp, signature = token_for(leave).split(":")
        forged = ":".join([token_for(other).split(":")[0], stamp, signature])
        self.assertNotEqual(forged, token_for(leave))
        self.login(self.gate_keeper)
        with freeze(START), translation.override("en"):
            response = self.client.get(reverse("leave:scan", args=[forged]))
            self.assertContains(response, "altered", status_code=400)
            self.assertNotContains(response, "李四", status_code=400)
            response = self.client.get(reverse("leave:scan", args=["not-a-code"]))
            self.assertContains(response, "altered", status_code=400)
        self.assertEqual(
            LogEntry.objects.filter(kind=LeaveEvent.PASS_SCANNED, actor=self.gate_keeper).count(),
            2,
        )

    def test_a_pending_or_cancelled_leave_is_not_valid(self):
        pending = ask(self.student_a, self.sick, user=self.student)
        cancelled = self.approved()
        LeaveRequest.objects.filter(pk=cancelled.pk).update(status=LeaveRequest.Status.CANCELLED)
        self.login(self.gate_keeper)
        with freeze(START), translation.override("en"):
            response = self.client.get(self.scan_url(pending))
            self.assertContains(response, "not approved")
            self.assertNotContains(response, 'data-testid="record"')
            response = self.client.get(self.scan_url(cancelled))
            self.assertContains(response, "was cancelled")
            response = self.client.post(self.record_url(cancelled), {"event": Event.LEFT})
            self.assertEqual(response.status_code, 409)
        cancelled.refresh_from_db()
        self.assertIsNone(cancelled.left_at)

    def test_a_leave_is_valid_only_in_its_window(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        with freeze(START - dt.timedelta(hours=3)), translation.override("en"):
            self.assertContains(self.client.get(self.scan_url(leave)), "not started yet")
        with freeze(leave.ends_at + dt.timedelta(minutes=1)), translation.override("en"):
            self.assertContains(self.client.get(self.scan_url(leave)), "ended before")

    def test_an_overdue_holder_may_still_come_back(self):
        leave = self.approved()
        with freeze(START):
            actions.pass_gate(leave, acting_user=self.gate_keeper)
        self.login(self.gate_keeper)
        with freeze(leave.ends_at + dt.timedelta(days=2)), translation.override("en"):
            response = self.client.get(self.scan_url(leave))
        self.assertContains(response, "Record the return")

    def test_nobody_else_may_scan(self):
        leave = self.approved()
        for user in (self.student, self.counsellor_a_user, self.leader):
            self.login(user)
            with freeze(START):
                self.assertEqual(self.client.get(self.scan_url(leave)).status_code, 403)
                response = self.client.post(self.record_url(leave), {"event": Event.LEFT})
                self.assertEqual(response.status_code, 403)
        leave.refresh_from_db()
        self.assertIsNone(leave.left_at)


class GateKeeperReachTests(GateTestCase):
    def test_the_gate_keeper_sees_no_request_and_no_list(self):
        leave = self.approved()
        self.login(self.gate_keeper)
        for name in ("leave:request_detail", "leave:pass"):
            self.assertEqual(self.client.get(reverse(name, args=[leave.pk])).status_code, 404)
        for name in ("leave:report_back", "leave:confirm_back"):
            self.assertEqual(self.client.post(reverse(name, args=[leave.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("leave:overdue")).status_code, 403)
        index = self.client.get(reverse("leave:index"))
        self.assertEqual(list(index.context["requests"]), [])
