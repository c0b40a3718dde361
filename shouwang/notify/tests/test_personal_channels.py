"""WeCom application messages and DingTalk work notifications, against local
fakes of each vendor's API, through the outbox as a deployment sends them."""

import datetime as dt
from typing import TYPE_CHECKING, ClassVar
from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from shouwang.lib.clock import beijing
from shouwang.notify.actions import deliver, send, send_pending
from shouwang.notify.channels import DeliveryError, DingTalkWork, RecipientError, WeComApp, build
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message, MessageDelivery
from shouwang.test import BaseTestCase

from .fake_server import FakeServer
from .fake_vendors import FakeDingTalk, FakePlatform, FakeWeCom

T0 = beijing(2022, 4, 6, 9)
SECRET = "app-secret-0123456789"  # noqa: S105


# The shared tests are a mixin, run only by the vendors' cases below.
if TYPE_CHECKING:
    _Case = BaseTestCase
else:
    _Case = object


class PersonalChannelTests(_Case):
    """What both channels do; each vendor's case below says how it is set up."""

    channel: ClassVar[str]
    userid_field: ClassVar[str]
    fake_class: ClassVar[type[FakePlatform]]
    fake: FakePlatform

    def settings_for(self, fake: FakePlatform, secret: str) -> dict:
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        cache.clear()  # the token cache is shared, as in a deployment
        self.addCleanup(cache.clear)
        for person, userid in ((self.student_a, "zhangsan"), (self.volunteer_person, "wangwu")):
            setattr(person, self.userid_field, userid)
            person.save(update_fields=[self.userid_field])

    def platform(
        self, users=("zhangsan", "wangwu"), secret=SECRET, also=None, **kwargs
    ) -> FakePlatform:
        self.fake = self.fake_class(
            app_id="APP-1", secret=SECRET, agent_id=1000002, users=set(users), **kwargs
        )
        self.fake.__enter__()
        self.addCleanup(self.fake.__exit__)
        settings = override_settings(
            **{
                "NOTIFY_CHANNELS": ["inbox", self.channel],
                **self.settings_for(self.fake, secret),
                **(also or {}),
            }
        )
        # Enabled last and undone first: nothing else here overrides settings.
        settings.enable()
        self.addCleanup(settings.disable)
        return self.fake

    def messages(self, count: int, person, start: int = 0) -> list[Message]:
        return [
            Message(
                recipient=person, kind=REMINDER, title=f"reminder {n}", key=f"t:{n}", created_at=T0
            )
            for n in range(start, start + count)
        ]

    def test_people_without_a_user_id_get_no_delivery(self):
        self.platform()
        send([self.student_a, self.student_b], ESCALATION, "Hello")
        self.assertEqual(
            list(MessageDelivery.objects.values_list("message__recipient", "channel")),
            [(self.student_a.pk, self.channel)],
        )

    def test_the_token_is_fetched_once_for_many_messages(self):
        fake = self.platform()
        deliver(self.messages(20, self.student_a))
        with mock.patch.object(cache, "set", wraps=cache.set) as cached:
            self.assertEqual(send_pending(T0), {self.channel: 20})
            # Kept until five minutes before the two hours the vendor gives it.
            cached.assert_called_once_with(mock.ANY, "TOKEN-1", timeout=7200 - 300)
        self.assertEqual(fake.issued, ["TOKEN-1"])
        self.assertEqual(len(fake.accepted), 20)
        deliver(self.messages(5, self.student_a, start=20))
        send_pending(T0)
        # Another run, as another worker would: the cached token still serves.
        self.assertEqual(fake.issued, ["TOKEN-1"])

    def test_an_expired_token_is_replaced_and_each_message_sent_once(self):
        fake = self.platform(uses_per_token=3)
        deliver(self.messages(10, self.student_a))
        self.assertEqual(send_pending(T0), {self.channel: 10})
        self.assertEqual(fake.issued, ["TOKEN-1", "TOKEN-2", "TOKEN-3", "TOKEN-4"])
        self.assertEqual(len(fake.refused), 3)  # the request after each token's last use
        titles = [self.text_of(request) for request in fake.accepted]
        self.assertEqual(sorted(titles), sorted(f"reminder {n}" for n in range(10)))

    def test_a_token_the_vendor_ended_early_is_replaced(self):
        fake = self.platform()
        deliver(self.messages(2, self.student_a))
        send_pending(T0)
        fake.expire_tokens()
        deliver(self.messages(2, self.student_a, start=2))
        self.assertEqual(send_pending(T0), {self.channel: 2})
        self.assertEqual(fake.issued, ["TOKEN-1", "TOKEN-2"])
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 4)

    def test_a_rate_limit_leaves_the_delivery_pending_for_a_retry_with_backoff(self):
        fake = self.platform()
        fake.limit_next = 1
        deliver(self.messages(3, self.student_a))
        self.assertEqual(send_pending(T0), {self.channel: 0})
        first, *others = MessageDelivery.objects.order_by("pk")
        self.assertEqual((first.status, first.attempts), ("pending", 1))
        self.assertEqual(first.next_attempt_at, T0 + dt.timedelta(minutes=1))
        self.assertIn("rate limit", first.last_error)
        # The run stopped there: the others wait, untried, for the next run.
        self.assertEqual([(row.status, row.attempts) for row in others], [("pending", 0)] * 2)
        self.assertEqual(send_pending(T0 + dt.timedelta(seconds=30)), {self.channel: 2})
        self.assertEqual(send_pending(T0 + dt.timedelta(minutes=1)), {self.channel: 1})
        self.assertEqual(len(fake.accepted), 3)

    def test_a_delivery_sent_is_not_sent_again(self):
        fake = self.platform()
        deliver(self.messages(3, self.student_a))
        send_pending(T0)
        deliver(self.messages(3, self.student_a))  # the same keys: nothing new
        for minute in range(1, 5):
            self.assertEqual(send_pending(T0 + dt.timedelta(minutes=minute)), {self.channel: 0})
        self.assertEqual(len(fake.accepted), 3)
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 3)

    def test_an_unknown_user_fails_that_message_and_the_others_go_out(self):
        fake = self.platform(users={"zhangsan"})
        send([self.volunteer_person], ESCALATION, "first")
        send([self.student_a], ESCALATION, "second")
        self.assertEqual(send_pending(), {self.channel: 1})
        self.assertEqual(fake.received_by(), ["zhangsan"])  # type: ignore[attr-defined]
        refused = MessageDelivery.objects.get(message__recipient=self.volunteer_person)
        self.assertEqual((refused.status, refused.attempts), ("pending", 1))
        self.assertIn("wangwu", refused.last_error)

    def test_a_wrong_secret_fails_without_naming_the_secret(self):
        fake = self.platform(secret="not-the-secret")
        deliver(self.messages(2, self.student_a))
        self.assertEqual(send_pending(T0), {self.channel: 0})
        row = MessageDelivery.objects.order_by("pk").first()
        assert row is not None
        self.assertEqual((row.status, row.attempts), ("pending", 1))
        self.assertIn("access token refused", row.last_error)
        self.assertNotIn("not-the-secret", row.last_error)
        self.assertEqual(fake.accepted, [])

    def test_it_makes_no_more_requests_a_minute_than_allowed(self):
        limits = {"NOTIFY_WECOM_APP_PER_MINUTE": 2, "NOTIFY_DINGTALK_WORK_PER_MINUTE": 2}
        fake = self.platform(also=limits)
        deliver(self.messages(5, self.student_a))
        self.assertEqual(send_pending(T0), {self.channel: 2})
        self.assertEqual(send_pending(T0 + dt.timedelta(seconds=59)), {self.channel: 0})
        self.assertEqual(send_pending(T0 + dt.timedelta(minutes=1)), {self.channel: 2})
        self.assertEqual(len(fake.accepted), 4)

    def text_of(self, request) -> str:
        raise NotImplementedError


class WeComAppTestCase(PersonalChannelTests, BaseTestCase):
    channel = "wecom_app"
    userid_field = "wecom_userid"
    fake_class = FakeWeCom

    def settings_for(self, fake, secret):
        return {
            "WECOM_API_BASE": fake.url,
            "WECOM_CORP_ID": "APP-1",
            "WECOM_AGENT_ID": "1000002",
            "WECOM_SECRET": secret,
        }

    def text_of(self, request) -> str:
        return request.body["text"]["content"]

    def test_a_message_reaches_the_person_by_user_id_from_the_agent(self):
        fake = self.platform()
        send([self.student_a], ESCALATION, "Please check in", "Before 10:00")
        self.assertEqual(send_pending(), {"wecom_app": 1})
        token, message = fake.requests
        self.assertEqual((token.method, token.path), ("GET", "/cgi-bin/gettoken"))
        self.assertEqual(token.query, {"corpid": "APP-1", "corpsecret": SECRET})
        self.assertEqual(message.path, "/cgi-bin/message/send")
        self.assertEqual(message.query, {"access_token": "TOKEN-1"})
        self.assertEqual(
            message.body,
            {
                "touser": "zhangsan",
                "agentid": 1000002,
                # WeCom drops a repeat of this JSON for four hours: a send
                # whose outcome was lost can be made again.
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 14400,
                "msgtype": "text",
                "text": {"content": "Please check in\nBefore 10:00"},
            },
        )
        self.assertEqual(MessageDelivery.objects.get().status, "sent")

    def test_a_message_with_a_link_is_a_card_that_opens_its_page(self):
        fake = self.platform(also={"SITE_URL": "https://shouwang.example.edu.cn"})
        send([self.student_a], ESCALATION, "A new notice", "Read it today", link="/notices/7/")
        send_pending()
        [message] = fake.accepted
        self.assertEqual(message.body["msgtype"], "textcard")
        self.assertEqual(
            message.body["textcard"],
            {
                "title": "A new notice",
                "description": "Read it today",
                "url": "https://shouwang.example.edu.cn/notices/7/",
            },
        )

    def test_a_user_named_invalid_under_errcode_0_is_refused(self):
        # WeCom takes a request whose recipients are partly unknown and names those.
        def answer(request):
            if request.path == "/cgi-bin/gettoken":
                return 200, {"errcode": 0, "access_token": "T", "expires_in": 7200}
            return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "zhangsan"}

        with FakeServer(answer) as server:
            channel = WeComApp(server.url, "C", "1", "S", 600)
            message = Message(recipient=self.student_a, kind=REMINDER, title="Hello")
            with self.assertRaises(RecipientError):
                channel.send([message])

    def test_a_second_token_error_in_a_row_is_a_failure(self):
        fake = self.platform()
        fake.deliver = lambda request: fake.error(fake.expired_token)  # type: ignore[method-assign]
        channel = build("wecom_app")
        with self.assertRaisesMessage(DeliveryError, "errcode 42001"):
            channel.send([Message(recipient=self.student_a, kind=REMINDER, title="Hello")])
        self.assertEqual(len(fake.issued), 2)  # refreshed once, not in a loop


class DingTalkWorkTestCase(PersonalChannelTests, BaseTestCase):
    channel = "dingtalk_work"
    userid_field = "dingtalk_userid"
    fake_class = FakeDingTalk

    def settings_for(self, fake, secret):
        return {
            "DINGTALK_API_BASE": fake.url,
            "DINGTALK_APP_KEY": "APP-1",
            "DINGTALK_AGENT_ID": "1000002",
            "DINGTALK_APP_SECRET": secret,
        }

    def text_of(self, request) -> str:
        return request.body["msg"]["text"]["content"]

    def test_a_message_reaches_the_person_by_user_id_from_the_agent(self):
        fake = self.platform()
        send([self.student_a], ESCALATION, "Please check in")
        self.assertEqual(send_pending(), {"dingtalk_work": 1})
        token, message = fake.requests
        self.assertEqual((token.method, token.path), ("GET", "/gettoken"))
        self.assertEqual(token.query, {"appkey": "APP-1", "appsecret": SECRET})
        self.assertEqual(message.path, "/topapi/message/corpconversation/asyncsend_v2")
        self.assertEqual(message.query, {"access_token": "TOKEN-1"})
        self.assertEqual(
            message.body,
            {
                "agent_id": 1000002,
                "userid_list": "zhangsan",
                "msg": {"msgtype": "text", "text": {"content": "Please check in"}},
            },
        )

    def test_a_message_with_a_link_carries_its_address(self):
        fake = self.platform(also={"SITE_URL": "https://shouwang.example.edu.cn"})
        send([self.student_a], ESCALATION, "A new notice", link="/notices/7/")
        send_pending()
        [message] = fake.accepted
        self.assertEqual(
            message.body["msg"]["text"]["content"],
            "A new notice\nhttps://shouwang.example.edu.cn/notices/7/",
        )

    def test_both_channels_reach_each_person_once_on_each(self):
        wecom = FakeWeCom(app_id="C", secret=SECRET, agent_id=7, users={"zs-wecom"})
        wecom.__enter__()
        self.addCleanup(wecom.__exit__)
        fake = self.platform(
            also={
                "NOTIFY_CHANNELS": ["inbox", "wecom_app", "dingtalk_work"],
                "WECOM_API_BASE": wecom.url,
                "WECOM_CORP_ID": "C",
                "WECOM_AGENT_ID": "7",
                "WECOM_SECRET": SECRET,
            }
        )
        self.student_a.wecom_userid = "zs-wecom"
        self.student_a.save(update_fields=["wecom_userid"])
        send([self.student_a], ESCALATION, "Hello")
        self.assertEqual(send_pending(), {"wecom_app": 1, "dingtalk_work": 1})
        self.assertEqual(wecom.received_by(), ["zs-wecom"])
        self.assertEqual(fake.received_by(), ["zhangsan"])  # type: ignore[attr-defined]


class DingTalkChannelTestCase(BaseTestCase):
    def test_a_person_without_a_user_id_is_refused_by_the_channel_itself(self):
        channel = DingTalkWork("http://127.0.0.1:9", "K", "1", "S", 600)
        with self.assertRaises(RecipientError):
            channel.send([Message(recipient=self.student_b, kind=REMINDER, title="Hello")])
