"""Nobody reads another person's messages, admins included: not in the app,
not in the Django admin, not in the outbox's troubles."""

from django.urls import reverse

from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message, MessageDelivery
from shouwang.test import BaseTestCase


class AdminsReadNoInboxTestCase(BaseTestCase):
    message: Message

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.message = Message.objects.create(
            recipient=cls.student_a,
            kind=ESCALATION,
            title="一条只给张三的消息",
            body="只有张三能读",
            key="private:1",
        )

    def test_an_admin_gets_404_on_another_persons_message_in_the_app(self):
        self.login(self.admin)
        url = reverse("notify:message_detail", args=[self.message.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(self.client.get(reverse("notify:inbox")), "一条只给张三的消息")

    def test_the_django_admin_has_no_messages(self):
        self.login(self.admin)
        self.assertNotContains(self.client.get(reverse("admin:index")), "/admin/notify/")
        for url in (
            "/admin/notify/message/",
            f"/admin/notify/message/{self.message.pk}/change/",
            "/admin/notify/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_the_undelivered_list_names_the_kind_not_the_message(self):
        MessageDelivery.objects.create(
            message=self.message, channel="email", status="failed", last_error="550 no such user"
        )
        for user in (self.admin, self.leader):
            self.login(user)
            response = self.client.get(reverse("notify:undelivered"))
            self.assertContains(response, "550 no such user")
            self.assertNotContains(response, "一条只给张三的消息")
            self.assertNotContains(response, "只有张三能读")
