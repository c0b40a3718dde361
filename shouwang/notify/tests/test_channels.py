import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import quote_plus

from django.core import mail
from django.test import override_settings

from shouwang.notify.actions import send, send_pending
from shouwang.notify.channels import DeliveryError, DingTalk, Feishu, Sms, WeCom
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message, MessageDelivery
from shouwang.test import BaseTestCase

from .fake_server import FakeServer

SECRET = "SEC0123456789abcdef"  # noqa: S105


def message(person, title="Please check in for today", body="") -> Message:
    return Message(recipient=person, kind=REMINDER, title=title, body=body)


class WeComTestCase(BaseTestCase):
    def test_it_posts_a_text_digest_mentioning_the_mobiles(self):
        with FakeServer() as server:
            robot = WeCom(f"{server.url}/cgi-bin/webhook/send?key=ROBOT-KEY")
            robot.send([message(self.student_a), message(self.student_b, "Fill in the form")])
        [request] = server.requests
        self.assertEqual(request.path, "/cgi-bin/webhook/send")
        self.assertEqual(request.query, {"key": "ROBOT-KEY"})
        self.assertEqual(
            request.body,
            {
                "msgtype": "text",
                "text": {
                    "content": "张三：Please check in for today\n李四：Fill in the form",
                    "mentioned_mobile_list": ["13712345678", "13912345678"],
                },
            },
        )

    def test_an_error_code_under_http_200_is_a_failure(self):
        with FakeServer(
            lambda r: (200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        ) as s:
            with self.assertRaisesMessage(DeliveryError, "errcode 45009"):
                WeCom(f"{s.url}/send?key=k").send([message(self.student_a)])

    def test_an_http_error_is_a_failure(self):
        with FakeServer(lambda r: (500, {})) as s:
            with self.assertRaisesMessage(DeliveryError, "500"):
                WeCom(f"{s.url}/send?key=k").send([message(self.student_a)])

    def test_a_server_that_is_not_there_is_a_failure(self):
        with FakeServer() as s:
            url = f"{s.url}/send?key=k"
        with self.assertRaises(DeliveryError):
            WeCom(url).send([message(self.student_a)])


class DingTalkTestCase(BaseTestCase):
    def test_it_signs_the_request_and_mentions_the_mobiles(self):
        with FakeServer() as server:
            before = int(time.time() * 1000)
            DingTalk(f"{server.url}/robot/send?access_token=TOKEN", SECRET).send(
                [message(self.student_a)]
            )
            after = int(time.time() * 1000)
        [request] = server.requests
        self.assertEqual(request.path, "/robot/send")
        self.assertEqual(request.query["access_token"], "TOKEN")
        timestamp = request.query["timestamp"]
        self.assertTrue(before <= int(timestamp) <= after)
        # Computed here from the secret, as DingTalk's documentation does it.
        string_to_sign = f"{timestamp}\n{SECRET}".encode()
        sign = base64.b64encode(
            hmac.new(SECRET.encode(), string_to_sign, hashlib.sha256).digest()
        ).decode()
        self.assertEqual(request.query["sign"], sign)
        self.assertIn(f"sign={quote_plus(sign)}", request.raw_query)
        self.assertEqual(
            request.body,
            {
                "msgtype": "text",
                "text": {"content": "张三：Please check in for today"},
                "at": {"atMobiles": ["13912345678"]},
            },
        )

    def test_an_error_code_under_http_200_is_a_failure(self):
        answer = (200, {"errcode": 310000, "errmsg": "sign not match"})
        with FakeServer(lambda r: answer) as server:
            with self.assertRaisesMessage(DeliveryError, "sign not match"):
                DingTalk(f"{server.url}/robot/send?access_token=T", SECRET).send(
                    [message(self.student_a)]
                )


class FeishuTestCase(BaseTestCase):
    def test_it_signs_the_body_and_names_the_people(self):
        with FakeServer(lambda r: (200, {"code": 0, "msg": "success"})) as server:
            Feishu(f"{server.url}/open-apis/bot/v2/hook/HOOK", SECRET).send(
                [message(self.student_a), message(self.student_b)]
            )
        [request] = server.requests
        self.assertEqual(request.path, "/open-apis/bot/v2/hook/HOOK")
        timestamp = request.body["timestamp"]
        self.assertLess(abs(int(timestamp) - time.time()), 5)
        # Feishu's documented recipe: the key is "timestamp\nsecret", the message empty.
        key = f"{timestamp}\n{SECRET}".encode()
        sign = base64.b64encode(hmac.new(key, digestmod=hashlib.sha256).digest()).decode()
        self.assertEqual(
            request.body,
            {
                "timestamp": timestamp,
                "sign": sign,
                "msg_type": "text",
                "content": {
                    "text": "张三：Please check in for today\n李四：Please check in for today"
                },
            },
        )

    def test_a_non_zero_code_or_status_code_is_a_failure(self):
        def refused(answer: dict[str, Any]) -> None:
            with FakeServer(lambda r: (200, answer)) as server:
                with self.assertRaises(DeliveryError):
                    Feishu(f"{server.url}/hook", SECRET).send([message(self.student_a)])

        refused({"code": 19021, "msg": "sign match fail"})
        refused({"StatusCode": 9499, "StatusMessage": "token is invalid"})


class SmsTestCase(BaseTestCase):
    def test_it_sends_the_sign_name_the_template_and_its_parameters_only(self):
        with FakeServer(lambda r: (200, {"Code": "OK", "Message": "OK"})) as server:
            sms = Sms(f"{server.url}/sms", "守望学院", "SMS_123456", token="TOKEN")
            sms.send([message(self.student_a, "Secret title", "free text body")])
        [request] = server.requests
        self.assertEqual(request.path, "/sms")
        self.assertEqual(request.headers["Authorization"], "Bearer TOKEN")
        self.assertEqual(
            request.body,
            {
                "PhoneNumbers": "13912345678",
                "SignName": "守望学院",
                "TemplateCode": "SMS_123456",
                "TemplateParam": {"name": "张三", "kind": "提醒"},
            },
        )
        self.assertNotIn("free text", str(request.body))

    def test_a_code_other_than_ok_is_a_failure(self):
        answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
        with FakeServer(lambda r: (200, answer)) as server:
            with self.assertRaisesMessage(DeliveryError, "BUSINESS_LIMIT_CONTROL"):
                Sms(f"{server.url}/sms", "守望学院", "SMS_1").send([message(self.student_a)])

    def test_people_without_a_mobile_get_no_sms(self):
        with override_settings(
            NOTIFY_CHANNELS=["inbox", "sms"],
            SMS_GATEWAY_URL="http://127.0.0.1:9/",
            SMS_SIGN_NAME="守望学院",
            SMS_TEMPLATE_CODE="SMS_1",
        ):
            send([self.student_a, self.volunteer_person], ESCALATION, "Hello")
        self.assertEqual(
            list(MessageDelivery.objects.values_list("message__recipient", flat=True)),
            [self.student_a.pk],
        )


@override_settings(
    NOTIFY_CHANNELS=["inbox", "email"],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class EmailTestCase(BaseTestCase):
    def test_it_mails_the_address_of_the_persons_login(self):
        self.student.email = "zhangsan@example.edu.cn"
        self.student.save(update_fields=["email"])
        send([self.student_a, self.student_b], ESCALATION, "Hello", "Body")
        # 李四's login has no address: no delivery row for them.
        self.assertEqual(MessageDelivery.objects.count(), 1)
        self.assertEqual(send_pending(), {"email": 1})
        [sent] = mail.outbox
        self.assertEqual(
            (sent.to, sent.subject, sent.body), (["zhangsan@example.edu.cn"], "Hello", "Body")
        )
        self.assertEqual(MessageDelivery.objects.get().status, MessageDelivery.Status.SENT)
