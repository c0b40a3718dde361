"""A notice published while the SMS gateway is down: nothing fails for the
author, everyone has it in their inbox at once, and once the gateway recovers
each person with a mobile gets exactly one text."""

import datetime as dt
from collections import Counter

from django.test import override_settings
from freezegun import freeze_time

from shouwang.lib import clock
from shouwang.notices import actions
from shouwang.notices.audience import Audience
from shouwang.notices.message_kinds import NOTICE
from shouwang.notify.actions import send_pending
from shouwang.notify.models import Message, MessageDelivery
from shouwang.notify.tests.fake_server import FakeServer
from shouwang.test import BaseTestCase

WITH_MOBILE = ("13712345678", "13800000001", "13800000002", "13912345678")


class GatewayOutage(BaseTestCase):
    def test_every_text_arrives_exactly_once_after_the_gateway_recovers(self):
        up = False
        accepted: list[str] = []
        refused: list[str] = []

        def gateway(request):
            (accepted if up else refused).append(request.body["PhoneNumbers"])
            return 200, {"Code": "OK"} if up else {"Code": "isv.BUSINESS_LIMIT_CONTROL"}

        with (
            FakeServer(gateway) as server,
            override_settings(
                NOTIFY_CHANNELS=["inbox", "sms"],
                SMS_GATEWAY_URL=f"{server.url}/sms",
                SMS_SIGN_NAME="守望学院",
                SMS_TEMPLATE_CODE="SMS_1",
            ),
        ):
            notice = actions.write_notice(
                title="关于全员核酸检测的通知",
                body="明天7:00在体育馆检测。",
                audience=Audience(everyone=True),
                requires_acknowledgement=True,
                deadline=None,
                acting_user=self.leader,
            )
            now = clock.now()
            # The first send runs as the publication commits, and fails.
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(actions.publish(notice, acting_user=self.leader), 9)
            self.assertEqual(Message.objects.filter(kind=NOTICE).count(), 9)
            self.assertGreater(len(refused), 0)

            # Down: each retry fails and backs off; nothing is marked sent.
            for minutes in (2, 5, 10):
                with freeze_time(now + dt.timedelta(minutes=minutes)):
                    send_pending()
            self.assertEqual(
                set(MessageDelivery.objects.values_list("status", flat=True)), {"pending"}
            )
            tried = MessageDelivery.objects.exclude(attempts=0)
            errors = set(tried.values_list("last_error", flat=True))
            self.assertEqual(errors, {"isv.BUSINESS_LIMIT_CONTROL: "})

            up = True
            with freeze_time(now + dt.timedelta(hours=2)):
                self.assertEqual(send_pending(), {"sms": 4})
                self.assertEqual(send_pending(), {"sms": 0})
        self.assertEqual(Counter(accepted), Counter(dict.fromkeys(WITH_MOBILE, 1)))
        self.assertEqual(MessageDelivery.objects.filter(status="sent").count(), 4)
