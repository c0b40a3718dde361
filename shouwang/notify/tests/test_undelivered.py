from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
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


class UnknownDeliveriesTestCase(BaseTestCase):
    """A delivery whose sender died on a channel that would deliver a repeat:
    a leader or an admin sends it again or records it delivered."""

    url = reverse("notify:undelivered")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        message = Message.objects.create(recipient=self.student_a, kind=REMINDER, title="打卡")
        self.lost = MessageDelivery.objects.create(
            message=message,
            channel="sms",
            status="unknown",
            attempts=1,
            last_attempt_at=beijing(2022, 4, 6, 9, 5),
        )

    def resend_url(self, delivery: MessageDelivery) -> str:
        return reverse("notify:undelivered_resend", args=[delivery.pk])

    def delivered_url(self, delivery: MessageDelivery) -> str:
        return reverse("notify:undelivered_mark_delivered", args=[delivery.pk])

    def test_the_page_lists_it_with_its_two_actions(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(response.context["counts"], [("sms", {"unknown": 1})])
        self.assertContains(response, 'data-testid="unknown"', count=1)
        self.assertContains(response, f'action="{self.resend_url(self.lost)}"')
        self.assertContains(response, f'action="{self.delivered_url(self.lost)}"')
        row = response.content.decode().split('data-testid="unknown"')[1].split("</tr>")[0]
        self.assertEqual(row.count("csrfmiddlewaretoken"), 2)
        self.assertContains(response, "张三")
        # Leaders see whom it was for, never what it said.
        self.assertNotContains(response, "打卡")

    def test_sending_it_again_queues_it_now_and_is_audited(self):
        self.login(self.leader)
        now = beijing(2022, 4, 6, 9, 30)
        with freeze_time(now), self.captureOnCommitCallbacks() as sent:
            response = self.client.post(self.resend_url(self.lost), follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "The message will be sent again.")
        self.lost.refresh_from_db()
        self.assertEqual((self.lost.status, self.lost.next_attempt_at), ("pending", now))
        self.assertEqual(len(sent), 1)  # the sender, enqueued once committed
        entry = LogEntry.objects.get_for_object(self.lost).get()
        self.assertEqual((entry.kind, entry.actor), ("notify.delivery_resent", self.leader))
        self.assertEqual(entry.additional_data["channel"], "sms")

    def test_recording_it_delivered_is_audited(self):
        self.login(self.admin)
        response = self.client.post(self.delivered_url(self.lost))
        self.assertRedirects(response, self.url)
        self.lost.refresh_from_db()
        self.assertEqual((self.lost.status, self.lost.sent_at), ("sent", self.lost.last_attempt_at))
        entry = LogEntry.objects.get_for_object(self.lost).get()
        self.assertEqual(entry.kind, "notify.delivery_marked_delivered")
        self.assertEqual(entry.actor, self.admin)
        self.assertContains(self.client.get(self.url), 'data-testid="empty"')

    def test_a_second_decision_changes_nothing(self):
        self.login(self.leader)
        self.client.post(self.delivered_url(self.lost))
        response = self.client.post(self.resend_url(self.lost), follow=True)
        self.assertContains(response, "Someone has already decided about this delivery.")
        self.lost.refresh_from_db()
        self.assertEqual(self.lost.status, "sent")
        self.assertEqual(LogEntry.objects.get_for_object(self.lost).count(), 1)

    def test_a_delivery_still_being_retried_is_not_decided_by_hand(self):
        self.lost.status = "pending"
        self.lost.save()
        self.login(self.leader)
        self.client.post(self.delivered_url(self.lost))
        self.lost.refresh_from_db()
        self.assertEqual(self.lost.status, "pending")
        self.assertFalse(LogEntry.objects.get_for_object(self.lost).exists())

    def test_others_may_not_decide_and_other_colleges_leaders_do_not_see_it(self):
        for url in (self.resend_url(self.lost), self.delivered_url(self.lost)):
            for user in (self.student, self.counsellor_a_user, self.volunteer):
                self.login(user)
                self.assertEqual(self.client.post(url).status_code, 403)
            self.login(self.leader_b)
            self.assertEqual(self.client.post(url).status_code, 404)
            self.login(self.leader)
            self.assertEqual(self.client.get(url).status_code, 405)
        self.lost.refresh_from_db()
        self.assertEqual(self.lost.status, "unknown")
        self.assertFalse(LogEntry.objects.get_for_object(self.lost).exists())

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.leader)
        self.assertEqual(client.post(self.resend_url(self.lost)).status_code, 403)
        self.lost.refresh_from_db()
        self.assertEqual(self.lost.status, "unknown")
