import datetime as dt
import threading
from collections import Counter
from unittest import mock

from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from freezegun import freeze_time

from shouwang.core.scheduler import JOBS
from shouwang.lib.clock import beijing
from shouwang.notify import actions
from shouwang.notify.actions import claim, deliver, send, send_pending
from shouwang.notify.channels import Robot
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message, MessageDelivery
from shouwang.notify.tasks import send_deliveries
from shouwang.test import BaseTestCase, Personas

from .fake_server import FakeServer, Request

T0 = beijing(2022, 4, 6, 9)
OK = (200, {"errcode": 0, "errmsg": "ok"})


def lines(requests: list[Request]) -> Counter[str]:
    """Every line the robot posted, counted."""
    return Counter(line for r in requests for line in r.body["text"]["content"].split("\n"))


class WeComOutbox(SimpleTestCase):
    """Messages go to the inbox and to a WeCom robot served by a FakeServer."""

    server: FakeServer

    def robot(self, answer=None):
        self.server = FakeServer(answer)
        self.server.__enter__()
        self.addCleanup(self.server.__exit__)
        settings = override_settings(
            NOTIFY_CHANNELS=["inbox", "wecom"],
            WECOM_WEBHOOK_URL=f"{self.server.url}/cgi-bin/webhook/send?key=K",
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def messages(self, count: int, person) -> list[Message]:
        return [
            Message(
                recipient=person,
                kind=REMINDER,
                title=f"reminder {n}",
                key=f"test:{n}",
                created_at=T0,
            )
            for n in range(count)
        ]


class OutboxTestCase(WeComOutbox, BaseTestCase):
    def test_it_writes_a_delivery_per_message_per_channel_with_the_message(self):
        self.robot()
        with self.captureOnCommitCallbacks() as callbacks:
            send([self.student_a, self.student_b], ESCALATION, "Hello")
        self.assertEqual(
            sorted(
                MessageDelivery.objects.values_list("message__recipient__name", "channel", "status")
            ),
            [("张三", "wecom", "pending"), ("李四", "wecom", "pending")],
        )
        self.assertEqual(len(callbacks), 1)  # the sending task, enqueued once committed
        self.assertEqual(self.server.requests, [])
        callbacks[0]()
        self.assertEqual(len(self.server.requests), 1)
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 2)

    def test_the_retry_job_runs_every_minute_and_sends_what_is_due(self):
        self.robot()
        deliver(self.messages(2, self.student_a))
        self.assertEqual(JOBS[send_deliveries.module_path].cron, "* * * * *")
        with freeze_time(T0):
            self.assertEqual(send_deliveries.call(), {"wecom": 2})
        self.assertEqual(
            lines(self.server.requests), {"张三：reminder 0": 1, "张三：reminder 1": 1}
        )

    def test_a_repeated_key_writes_no_second_delivery(self):
        self.robot()
        deliver(self.messages(3, self.student_a))
        deliver(self.messages(5, self.student_a))
        self.assertEqual(MessageDelivery.objects.count(), 5)

    def test_the_database_refuses_a_second_delivery_on_a_channel(self):
        self.robot()
        deliver(self.messages(1, self.student_a))
        row = MessageDelivery.objects.get()
        with self.assertRaises(IntegrityError), transaction.atomic():
            MessageDelivery.objects.create(message=row.message, channel="wecom")

    def test_only_the_inbox_means_no_deliveries(self):
        send([self.student_a], ESCALATION, "Hello")
        self.assertEqual(Message.objects.count(), 1)
        self.assertFalse(MessageDelivery.objects.exists())

    def test_a_channel_that_is_down_does_not_fail_the_request_that_sent(self):
        self.robot(lambda r: (500, {}))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send([self.student_a], ESCALATION, "Hello"), 1)
        self.assertEqual(len(self.server.requests), 1)
        delivery = MessageDelivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts), ("pending", 1))
        self.assertIn("500", delivery.last_error)
        self.assertTrue(Message.objects.filter(title="Hello").exists())

    def test_a_claimed_row_cannot_be_claimed_again(self):
        self.robot()
        deliver(self.messages(3, self.student_a))
        rows = list(MessageDelivery.objects.order_by("pk"))
        again = list(MessageDelivery.objects.order_by("pk"))
        self.assertEqual(len(claim(rows[:2], T0)), 2)
        # The second sender read the rows before the first claimed them.
        self.assertEqual([row.pk for row in claim(again, T0)], [rows[2].pk])
        self.assertEqual(claim(again, T0), [])

    def test_a_hundred_messages_for_one_robot_go_out_as_a_few_digests(self):
        self.robot()
        deliver(self.messages(100, self.student_a))
        self.assertEqual(send_pending(T0), {"wecom": 100})
        self.assertLessEqual(len(self.server.requests), 5)
        self.assertEqual(
            lines(self.server.requests), {f"张三：reminder {n}": 1 for n in range(100)}
        )
        for request in self.server.requests:
            self.assertLessEqual(len(request.body["text"]["content"].encode()), 2048)

    @override_settings(NOTIFY_ROBOT_PER_MINUTE=2)
    def test_a_robot_makes_no_more_requests_a_minute_than_allowed(self):
        self.robot()
        deliver(self.messages(300, self.student_a))
        send_pending(T0)
        send_pending(T0 + dt.timedelta(seconds=30))
        self.assertEqual(len(self.server.requests), 2)
        waiting = MessageDelivery.objects.filter(status="pending").count()
        self.assertGreater(waiting, 0)
        for minute in range(1, 20):
            send_pending(T0 + dt.timedelta(minutes=minute))
        self.assertEqual(
            lines(self.server.requests), {f"张三：reminder {n}": 1 for n in range(300)}
        )

    def test_an_outage_is_retried_with_backoff_and_every_message_arrives_once(self):
        answers = iter(
            [(200, {"errcode": -1, "errmsg": "system busy"})] * 3 + [(500, {"error": "down"})] * 2
        )
        self.robot(lambda request: next(answers, OK))
        with freeze_time(T0), self.captureOnCommitCallbacks(execute=True):
            # The request that sends the messages: the robot is down, it does not raise.
            deliver(self.messages(30, self.student_a))
        row = MessageDelivery.objects.order_by("pk").first()
        assert row is not None
        self.assertEqual((row.attempts, row.next_attempt_at), (1, T0 + dt.timedelta(minutes=1)))
        self.assertEqual(row.last_error, "errcode -1: system busy")
        # Retried after 1, 2, 4, 8 minutes; one failed try a run, the run stops there.
        expected = {1: 2, 3: 3, 7: 4, 15: 5}
        for minute in range(1, 40):
            now = T0 + dt.timedelta(minutes=minute)
            send_pending(now)
            if minute in expected:
                row.refresh_from_db()
                if row.status == "pending":
                    self.assertEqual(row.attempts, expected[minute])
                    backoff = dt.timedelta(minutes=2 ** (row.attempts - 1))
                    self.assertEqual(row.next_attempt_at, now + backoff)
        row.refresh_from_db()
        self.assertEqual(row.attempts, 6)
        self.assertIn("500", row.last_error)
        self.assertEqual(MessageDelivery.objects.exclude(status="sent").count(), 0)
        # Five refused requests, then each message once.
        self.assertEqual(
            lines(self.server.requests[5:]), {f"张三：reminder {n}": 1 for n in range(30)}
        )

    @override_settings(NOTIFY_ROBOT_PER_MINUTE=1000)
    def test_it_gives_up_after_the_last_attempt(self):
        self.robot(lambda request: (500, {}))
        deliver(self.messages(1, self.student_a))
        now = T0
        for _ in range(actions.MAX_ATTEMPTS):
            send_pending(now)
            now += actions.RETRY_MAX
        row = MessageDelivery.objects.get()
        self.assertEqual((row.status, row.attempts), ("failed", actions.MAX_ATTEMPTS))
        send_pending(now + dt.timedelta(days=1))
        self.assertEqual(len(self.server.requests), actions.MAX_ATTEMPTS)


class ConcurrentSendersTestCase(WeComOutbox, Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()

    @override_settings(NOTIFY_ROBOT_PER_MINUTE=1000)
    def test_two_senders_at_once_send_each_message_once(self):
        self.robot()
        # The two threads below are the senders, not the task enqueued on commit.
        with mock.patch.object(transaction, "on_commit"):
            deliver(self.messages(200, self.student_a))
        start = threading.Barrier(2)
        results: list[dict[str, int]] = []

        def sender():
            try:
                start.wait()
                results.append(send_pending(T0))
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(2)]
        # Small digests, so that the two senders race over many claims.
        with mock.patch.object(Robot, "max_bytes", 100):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(sum(result["wecom"] for result in results), 200)
        self.assertEqual(
            lines(self.server.requests), {f"张三：reminder {n}": 1 for n in range(200)}
        )
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 200)
