"""A delivery whose sender died mid-send: re-sent where the vendor drops a
repeat, otherwise marked unknown for a person to decide."""

import datetime as dt
import time
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.scheduler import JOBS
from shouwang.lib.clock import beijing
from shouwang.notify import channels
from shouwang.notify.actions import LEASE, claim, recover, send, send_pending
from shouwang.notify.channels import CHANNEL_NAMES, WeComApp, build
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message, MessageDelivery
from shouwang.notify.tasks import recover_deliveries
from shouwang.test import BaseTestCase

from .fake_server import FakeServer
from .fake_vendors import FakeWeCom

T0 = beijing(2022, 4, 6, 9)
SECRET = "app-secret-0123456789"  # noqa: S105


def sms_at(url: str) -> override_settings:
    """Texts (and the inbox) through the gateway at `url`."""
    return override_settings(
        NOTIFY_CHANNELS=["inbox", "sms"],
        SMS_GATEWAY_URL=url,
        SMS_SIGN_NAME="守望",
        SMS_TEMPLATE_CODE="SMS_1",
    )


def die_mid_send(delivery: MessageDelivery, now: dt.datetime) -> None:
    """What a sender killed during its request leaves: the row claimed, the
    request made (the vendor took it), nothing recorded after."""
    [won] = claim([delivery], now)
    build(delivery.channel).send([won.message])


class WeComAppRecoveryTestCase(BaseTestCase):
    """WeCom application messages: the vendor drops a repeat of the same JSON
    within the duplicate-check interval, so a lost send is made again."""

    def setUp(self):
        super().setUp()
        cache.clear()  # the access token is cached, as in a deployment
        self.addCleanup(cache.clear)
        self.student_a.wecom_userid = "zhangsan"
        self.student_a.save(update_fields=["wecom_userid"])
        self.fake = FakeWeCom(app_id="APP-1", secret=SECRET, agent_id=1000002, users={"zhangsan"})
        self.fake.__enter__()
        self.addCleanup(self.fake.__exit__)
        settings = override_settings(
            NOTIFY_CHANNELS=["inbox", "wecom_app"],
            WECOM_API_BASE=self.fake.url,
            WECOM_CORP_ID="APP-1",
            WECOM_AGENT_ID="1000002",
            WECOM_SECRET=SECRET,
        )
        settings.enable()
        self.addCleanup(settings.disable)
        with freeze_time(T0):
            send([self.student_a], ESCALATION, "Please check in", "Before 10:00")
        self.delivery = MessageDelivery.objects.select_related("message__recipient").get()

    def test_after_its_lease_a_lost_send_is_made_again_and_arrives_once(self):
        die_mid_send(self.delivery, T0)
        self.assertEqual(self.fake.received_by(), ["zhangsan"])

        # While the lease runs, the sender may be alive and slow: nothing happens.
        self.assertEqual(recover(T0 + LEASE - dt.timedelta(seconds=1)), {})
        self.assertEqual(MessageDelivery.objects.get().status, "sending")

        recovered = recover(T0 + LEASE + dt.timedelta(seconds=1))
        self.assertEqual(recovered, {"wecom_app": {"resent": 1, "unknown": 0}})
        self.assertEqual(MessageDelivery.objects.get().status, "pending")
        self.assertEqual(send_pending(T0 + LEASE + dt.timedelta(minutes=1)), {"wecom_app": 1})

        first, again = [r for r in self.fake.requests if r.path == "/cgi-bin/message/send"]
        self.assertEqual(again.body, first.body)
        self.assertEqual(again.body["enable_duplicate_check"], 1)
        self.assertEqual(again.body["duplicate_check_interval"], 4 * 3600)
        # The vendor took the repeat as sent and delivered it no second time.
        self.assertEqual(self.fake.duplicates, [again])
        self.assertEqual(self.fake.received_by(), ["zhangsan"])
        delivery = MessageDelivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts), ("sent", 2))

    def test_a_send_lost_too_long_ago_for_the_duplicate_check_is_unknown(self):
        die_mid_send(self.delivery, T0)
        # The re-send must go out inside WeCom's four hours, with time to spare.
        late = T0 + WeComApp.resend_within + dt.timedelta(seconds=1)
        self.assertLess(late, T0 + WeComApp.duplicate_check_interval)
        self.assertEqual(recover(late), {"wecom_app": {"resent": 0, "unknown": 1}})
        send_pending(late + dt.timedelta(minutes=1))
        self.assertEqual(MessageDelivery.objects.get().status, "unknown")
        self.assertEqual(len(self.fake.accepted) + len(self.fake.duplicates), 1)

    def test_the_recovery_job_runs_every_minute(self):
        die_mid_send(self.delivery, T0)
        self.assertEqual(JOBS[recover_deliveries.module_path].cron, "* * * * *")
        with freeze_time(T0 + LEASE + dt.timedelta(minutes=1)):
            self.assertEqual(recover_deliveries.call(), {"wecom_app": {"resent": 1, "unknown": 0}})


class UnknownRecoveryTestCase(BaseTestCase):
    def sending(self, channel: str, claimed_at: dt.datetime) -> MessageDelivery:
        message = Message.objects.create(recipient=self.student_a, kind=ESCALATION, title="x")
        delivery = MessageDelivery.objects.create(
            message=message, channel=channel, next_attempt_at=claimed_at
        )
        claim([delivery], claimed_at)
        return delivery

    def test_on_channels_that_would_deliver_a_repeat_a_lost_send_is_unknown(self):
        # Only WeCom's application messages drop a repeat (docs/decisions.md);
        # the inbox has no outbox row: it is written with the message.
        repeating = [n for n in CHANNEL_NAMES if n not in ("inbox", "wecom_app")]
        self.assertEqual(
            repeating, ["email", "wecom", "dingtalk", "feishu", "sms", "dingtalk_work"]
        )
        for channel in repeating:
            self.sending(channel, T0)
        recovered = recover(T0 + LEASE + dt.timedelta(seconds=1))
        self.assertEqual(recovered, {n: {"resent": 0, "unknown": 1} for n in repeating})
        self.assertEqual(set(MessageDelivery.objects.values_list("status", flat=True)), {"unknown"})

    def test_an_unknown_delivery_is_not_sent_again_by_the_sender(self):
        with FakeServer(lambda request: (200, {"Code": "OK"})) as gateway:
            with sms_at(f"{gateway.url}/sms"):
                with freeze_time(T0):
                    send([self.student_a], ESCALATION, "Hello")
                die_mid_send(MessageDelivery.objects.get(), T0)
                recover(T0 + LEASE + dt.timedelta(seconds=1))
                for minute in range(11, 30):
                    send_pending(T0 + dt.timedelta(minutes=minute))
        self.assertEqual(len(gateway.requests), 1)
        self.assertEqual(MessageDelivery.objects.get().status, "unknown")

    def test_a_sender_that_is_still_within_its_lease_keeps_its_claim(self):
        self.sending("sms", T0)
        self.sending("wecom_app", T0)
        self.assertEqual(recover(T0 + LEASE), {})
        self.assertEqual(set(MessageDelivery.objects.values_list("status", flat=True)), {"sending"})

    def test_a_late_claim_in_a_long_run_gets_its_own_lease(self):
        def slow(request):
            time.sleep(0.3)
            return 200, {"Code": "OK"}

        people = [self.student_a, self.student_b, self.counsellor_a]
        with FakeServer(slow) as gateway:
            with sms_at(f"{gateway.url}/sms"):
                with freeze_time(T0):
                    send(people, ESCALATION, "Hello")
                # Not frozen: the run takes the time the gateway takes.
                self.assertEqual(send_pending(T0), {"sms": 3})
        leases = [row.leased_until or T0 for row in MessageDelivery.objects.order_by("pk")]
        self.assertLess(leases[0] - (T0 + LEASE), dt.timedelta(seconds=0.3))
        # Each claim's lease counts from when it was made, not from the run's start.
        self.assertGreaterEqual(leases[2] - leases[0], dt.timedelta(seconds=0.6))


def answering_late(answer, path: str | None = None):
    """A vendor that takes the request whole, and answers (at `path`, or
    everywhere) after the sender gave up."""

    def late(request):
        answered = answer(request)
        if path in (None, request.path):
            time.sleep(ANSWER_AFTER)
        return answered

    return late


# The sender waits this long for an answer here (ten seconds in production).
TIMEOUT = 0.3
ANSWER_AFTER = 1.0


@mock.patch.object(channels, "HTTP_TIMEOUT", TIMEOUT)
class UnansweredSendTestCase(BaseTestCase):
    """A send whose answer never came may have gone out: the same choice as
    for a sender that died, made at once."""

    def test_an_sms_without_an_answer_is_unknown_and_never_sent_twice(self):
        with FakeServer(answering_late(lambda request: (200, {"Code": "OK"}))) as gateway:
            with sms_at(f"{gateway.url}/sms"):
                with freeze_time(T0):
                    send([self.student_a, self.student_b], ESCALATION, "请于10点前打卡")
                self.assertEqual(send_pending(T0), {"sms": 0})
                for minute in range(1, 30):
                    send_pending(T0 + dt.timedelta(minutes=minute))
        # The first text is unknown and the run stopped there; the second,
        # sent on the next minute's run, is unknown the same way.
        self.assertEqual(
            [request.body["PhoneNumbers"] for request in gateway.requests],
            [self.student_a.mobile, self.student_b.mobile],
        )
        first, second = MessageDelivery.objects.order_by("pk")
        self.assertEqual((first.status, first.attempts), ("unknown", 1))
        self.assertIn(f"no answer within {TIMEOUT} s", first.last_error)
        self.assertEqual(second.status, "unknown")

        self.login(self.leader)
        page = self.client.get(reverse("notify:undelivered"))
        self.assertContains(page, 'data-testid="unknown"', count=2)

    def test_a_gateway_that_refuses_the_connection_is_retried(self):
        with sms_at("http://127.0.0.1:9/sms"):
            with freeze_time(T0):
                send([self.student_a], ESCALATION, "请于10点前打卡")
            send_pending(T0)
        delivery = MessageDelivery.objects.get()
        # Nothing went out: no doubt, the ordinary retry.
        self.assertEqual(delivery.status, "pending")
        self.assertEqual(delivery.next_attempt_at, T0 + dt.timedelta(minutes=1))

    def test_a_wecom_message_without_an_answer_is_sent_again_and_arrives_once(self):
        cache.clear()
        self.addCleanup(cache.clear)
        self.student_a.wecom_userid = "zhangsan"
        self.student_a.save(update_fields=["wecom_userid"])
        wecom = FakeWeCom(app_id="APP-1", secret=SECRET, agent_id=1000002, users={"zhangsan"})
        prompt = wecom.server.answer
        wecom.server.answer = answering_late(prompt, "/cgi-bin/message/send")
        with (
            wecom,
            override_settings(
                NOTIFY_CHANNELS=["inbox", "wecom_app"],
                WECOM_API_BASE=wecom.url,
                WECOM_CORP_ID="APP-1",
                WECOM_AGENT_ID="1000002",
                WECOM_SECRET=SECRET,
            ),
        ):
            with freeze_time(T0):
                send([self.student_a], ESCALATION, "请于10点前打卡")
            self.assertEqual(send_pending(T0), {"wecom_app": 0})
            self.assertEqual(MessageDelivery.objects.get().status, "pending")
            wecom.server.answer = prompt
            self.assertEqual(send_pending(T0 + dt.timedelta(minutes=1)), {"wecom_app": 1})
        first, again = [r for r in wecom.requests if r.path == "/cgi-bin/message/send"]
        self.assertEqual(again.body, first.body)
        self.assertEqual(wecom.duplicates, [again])
        self.assertEqual(wecom.received_by(), ["zhangsan"])
        delivery = MessageDelivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts), ("sent", 2))
