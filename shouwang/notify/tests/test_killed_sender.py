"""A real worker process, killed with SIGKILL in the middle of a request to a
slow vendor, on a channel that drops repeats (WeCom application messages) and
on one that would deliver them (SMS): after recovery each message arrived
once or is listed as unknown, and none arrived twice. On the database queue
and on Redis."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from shouwang.core.tests.test_worker import (
    BASE_DIR,
    DatabaseQueue,
    RedisQueue,
    ScenarioBase,
    database_env,
    kill_worker,
    wait_for,
)
from shouwang.lib import clock
from shouwang.notify.actions import LEASE, recover, send
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import MessageDelivery
from shouwang.notify.tasks import send_deliveries
from shouwang.test import Personas

from .fake_server import Answer, FakeServer, Request
from .fake_vendors import FakeWeCom

SECRET = "app-secret-0123456789"  # noqa: S105
# How long each vendor takes to answer a send: the window in which the worker dies.
DELAY = 0.5
WECOM_SEND = "/cgi-bin/message/send"


class Slow:
    """A vendor's answer, late; `arrived(n)` is set when the n-th send comes in."""

    def __init__(self, answer: Callable[[Request], Answer], path: str):
        self.answer, self.path = answer, path
        self.count = 0
        self.lock = threading.Lock()
        self.events: dict[int, threading.Event] = {}

    def arrived(self, n: int) -> threading.Event:
        return self.events.setdefault(n, threading.Event())

    def __call__(self, request: Request) -> Answer:
        if request.path != self.path:
            return self.answer(request)
        with self.lock:
            self.count += 1
            self.arrived(self.count).set()
        time.sleep(DELAY)
        # A request the vendor has whole is delivered, whether or not the
        # sender lives to read the answer.
        return self.answer(request)


class KilledSender(Personas, ScenarioBase):
    """The scenario; a subclass says which queue the workers read."""

    worker_args: tuple[str, ...]
    burst_args: tuple[str, ...]
    queue_env: dict[str, str]

    def setUp(self):
        self.create_personas()
        cache.clear()
        self.addCleanup(cache.clear)
        self.people = [
            self.student_a,
            self.student_b,
            self.volunteer_person,
            self.counsellor_a,
            self.counsellor_b,
        ]
        for n, person in enumerate(self.people):
            person.wecom_userid = f"user{n}"
            person.mobile = f"1390000000{n}"
            person.save(update_fields=["wecom_userid", "mobile"])

    def worker(self, env: dict[str, str], *, burst: bool = False) -> subprocess.Popen:
        args = self.burst_args if burst else self.worker_args
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.addCleanup(kill_worker, process)
        return process

    def kill_when(self, process: subprocess.Popen, event: threading.Event) -> None:
        """SIGKILL the worker while its request is with the vendor."""
        self.assertTrue(event.wait(timeout=30), "the worker never sent")
        kill_worker(process)
        self.assertEqual(process.returncode, -signal.SIGKILL)

    def recover_after_the_lease(self) -> dict[str, dict[str, int]]:
        # The recovery job, run as the scheduler would once the lease is over.
        return recover(clock.now() + LEASE + dt.timedelta(seconds=1))

    def test_each_message_arrives_once_or_is_listed_as_unknown(self):
        # A corp of its own: on Redis the worker's cache outlives the test, and
        # an earlier run's token would be refused by this run's WeCom.
        corp_id = f"APP-{uuid.uuid4().hex[:8]}"
        wecom = FakeWeCom(
            app_id=corp_id,
            secret=SECRET,
            agent_id=1000002,
            users={person.wecom_userid for person in self.people},
        )
        slow_wecom = Slow(wecom.answer, WECOM_SEND)
        wecom.server.answer = slow_wecom
        slow_sms = Slow(lambda request: (200, {"Code": "OK"}), "/sms")
        gateway = FakeServer(slow_sms)
        with wecom, gateway:
            env = {
                **database_env(),
                **self.queue_env,
                "NOTIFY_CHANNELS": "inbox,wecom_app,sms",
                "WECOM_API_BASE": wecom.url,
                "WECOM_CORP_ID": corp_id,
                "WECOM_AGENT_ID": "1000002",
                "WECOM_SECRET": SECRET,
                "SMS_GATEWAY_URL": f"{gateway.url}/sms",
                "SMS_SIGN_NAME": "守望",
                "SMS_TEMPLATE_CODE": "SMS_1",
            }
            with override_settings(NOTIFY_CHANNELS=["inbox", "wecom_app", "sms"]):
                # Enqueues the sender once committed.
                send(self.people, ESCALATION, "请于10点前打卡")

            # The worker dies while WeCom has its third message.
            self.kill_when(self.worker(env), slow_wecom.arrived(3))
            statuses = Counter(
                MessageDelivery.objects.filter(channel="wecom_app").values_list("status", flat=True)
            )
            self.assertEqual(statuses, {"sent": 2, "sending": 1, "pending": 2})
            self.assertEqual(
                self.recover_after_the_lease(), {"wecom_app": {"resent": 1, "unknown": 0}}
            )

            # The next worker sends again what WeCom will drop, then dies while
            # the SMS gateway has its third message.
            send_deliveries.enqueue()  # the minute's job
            self.kill_when(self.worker(env), slow_sms.arrived(3))
            self.assertEqual(self.recover_after_the_lease(), {"sms": {"resent": 0, "unknown": 1}})

            send_deliveries.enqueue()
            finish = self.worker(env, burst=True)
            self.assertEqual(finish.wait(timeout=60), 0, finish.stderr)
            wait_for(lambda: len(gateway.requests) == 5 and len(wecom.requests) >= 7)

        # WeCom: the lost send was made again and dropped; each person got one.
        userids = sorted(person.wecom_userid for person in self.people)
        self.assertEqual(sorted(wecom.received_by()), userids)
        self.assertEqual(len(wecom.duplicates), 1)
        self.assertEqual(len([r for r in wecom.requests if r.path == WECOM_SEND]), 6)
        # SMS: no number was texted twice; the one in flight at the kill is unknown.
        texted = Counter(request.body["PhoneNumbers"] for request in gateway.requests)
        self.assertEqual(texted, {person.mobile: 1 for person in self.people})
        self.assertEqual(
            sorted(MessageDelivery.objects.values_list("channel", "status").distinct()),
            [("sms", "sent"), ("sms", "unknown"), ("wecom_app", "sent")],
        )
        unknown = MessageDelivery.objects.get(status="unknown")
        self.assertEqual(unknown.message.recipient.mobile, gateway.requests[2].body["PhoneNumbers"])
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 9)

        # Listed for the leaders, with its actions.
        self.client.force_login(self.leader)
        page = self.client.get(reverse("notify:undelivered"))
        self.assertContains(page, 'data-testid="unknown"', count=1)
        self.assertContains(page, reverse("notify:undelivered_resend", args=[unknown.pk]))


class DatabaseQueueKilledSenderTestCase(DatabaseQueue, KilledSender, TransactionTestCase):
    pass


@pytest.mark.needs_service
class RedisQueueKilledSenderTestCase(RedisQueue, KilledSender, TransactionTestCase):
    pass
