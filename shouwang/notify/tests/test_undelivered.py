from django.urls import reverse

from shouwang.lib.clock import beijing
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message, MessageDelivery
from shouwang.test import BaseTestCase


class UndeliveredTestCase(BaseTestCase):
    url = reverse("notify:undelivered")

    def delivery(self, person, channel, status, error="", minute=0) -> MessageDelivery:
        message = Message.objects.create(
            recipient=person, kind=REMINDER, title=f"for {person.name}"
        )
        return MessageDelivery.objects.create(
            message=message,
            channel=channel,
            status=status,
            attempts=1 if error else 0,
            last_error=error,
            last_attempt_at=beijing(2022, 4, 6, 9, minute) if error else None,
        )

    def test_it_counts_what_is_waiting_per_channel_and_shows_the_newest_errors(self):
        self.delivery(self.student_a, "wecom", "pending", "errcode 45009: freq", minute=1)
        self.delivery(self.student_b, "wecom", "pending", "HTTP Error 500", minute=2)
        self.delivery(self.student_b, "wecom", "sent", "errcode -1: busy")
        self.delivery(self.student_a, "sms", "failed", "isv.BUSINESS_LIMIT_CONTROL", minute=0)
        self.delivery(self.student_a, "email", "pending")
        self.login(self.admin)
        # Session, user with person, roles, counts, the navbar's unread count, failures.
        with self.assertNumQueries(6):
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["counts"],
            [("email", {"pending": 1}), ("sms", {"failed": 1}), ("wecom", {"pending": 2})],
        )
        self.assertEqual(
            [d.last_error for d in response.context["failures"]],
            ["HTTP Error 500", "errcode 45009: freq", "isv.BUSINESS_LIMIT_CONTROL"],
        )
        self.assertContains(response, "未送达的消息")
        self.assertContains(response, "李四")
        self.assertNotContains(response, "busy")

    def test_it_says_when_everything_went_out(self):
        self.delivery(self.student_a, "wecom", "sent")
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="empty"')

    def test_it_is_for_leaders_and_admins_only(self):
        self.delivery(self.student_a, "wecom", "pending", "down")
        for user in (self.student, self.counsellor_a_user, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
