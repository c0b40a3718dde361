from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from shouwang.lib.clock import beijing
from shouwang.notify.access import unread_count
from shouwang.notify.context_processors import inbox
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.test import BaseTestCase


class InboxFixtures(BaseTestCase):
    def message(self, recipient, title="Please check in", read=False, **fields) -> Message:
        return Message.objects.create(
            recipient=recipient,
            kind=fields.pop("kind", REMINDER),
            title=title,
            read_at=beijing(2022, 4, 6, 12) if read else None,
            **fields,
        )


class InboxTestCase(InboxFixtures):
    url = reverse("notify:inbox")

    def test_it_lists_my_messages_newest_first_with_the_unread_marked(self):
        with freeze_time(beijing(2022, 4, 6, 9)):
            older = self.message(self.student_a, "older", read=True)
        with freeze_time(beijing(2022, 4, 7, 9)):
            newer = self.message(self.student_a, "newer")
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["page"]), [newer, older])
        self.assertContains(response, 'data-unread="1"', count=1)
        self.assertContains(response, 'data-unread="0"', count=1)
        self.assertContains(response, reverse("notify:message_detail", args=[newer.pk]))
        self.assertContains(response, 'data-testid="mark-all-read"')

    def test_it_hides_other_peoples_messages(self):
        self.message(self.student_b, "for 李四")
        for user in (self.student, self.leader, self.admin):
            self.login(user)
            response = self.client.get(self.url)
            self.assertEqual(list(response.context["page"]), [])
            self.assertNotContains(response, "for 李四")

    def test_it_offers_no_mark_all_read_when_all_are_read(self):
        self.message(self.student_a, read=True)
        self.login(self.student)
        self.assertNotContains(self.client.get(self.url), 'data-testid="mark-all-read"')

    def test_it_sends_anonymous_visitors_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_takes_the_same_number_of_queries_for_many_messages(self):
        self.login(self.student)
        for n in range(3):
            self.message(self.student_a, f"message {n}")
        self.client.get(self.url)  # warm up the session and the user
        with self.assertNumQueries(7) as few:  # 6 + the navbar's unread count
            self.client.get(self.url)
        for n in range(40):
            self.message(self.student_a, f"more {n}", read=n % 2 == 0)
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"]), 30)


class MessageDetailTestCase(InboxFixtures):
    def test_it_shows_my_message_and_marks_it_read(self):
        message = self.message(self.student_a, body="张三，请打卡", link="/checkin/")
        self.login(self.student)
        with freeze_time(beijing(2022, 4, 6, 9, 5)):
            response = self.client.get(reverse("notify:message_detail", args=[message.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "张三，请打卡")
        self.assertContains(response, 'href="/checkin/"')
        message.refresh_from_db()
        self.assertEqual(message.read_at, beijing(2022, 4, 6, 9, 5))

    def test_reading_it_again_keeps_the_first_read_time(self):
        message = self.message(self.student_a, read=True)
        first = message.read_at
        self.login(self.student)
        self.client.get(reverse("notify:message_detail", args=[message.pk]))
        message.refresh_from_db()
        self.assertEqual(message.read_at, first)

    def test_anyone_else_gets_404_and_leaves_it_unread(self):
        message = self.message(self.student_a)
        for user in (self.student_b_user, self.counsellor_a_user, self.leader, self.admin):
            self.login(user)
            response = self.client.get(reverse("notify:message_detail", args=[message.pk]))
            self.assertEqual(response.status_code, 404)
        message.refresh_from_db()
        self.assertIsNone(message.read_at)


class MarkAllReadTestCase(InboxFixtures):
    url = reverse("notify:mark_all_read")

    def test_it_marks_all_my_messages_read_and_no_one_elses(self):
        mine = [self.message(self.student_a), self.message(self.student_a)]
        theirs = self.message(self.student_b)
        self.login(self.student)
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("notify:inbox"))
        for message in mine:
            message.refresh_from_db()
            self.assertIsNotNone(message.read_at)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_it_refuses_get(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class UnreadCountTestCase(InboxFixtures):
    def test_it_counts_my_unread_messages(self):
        self.message(self.student_a)
        self.message(self.student_a)
        self.message(self.student_a, read=True)
        self.message(self.student_b)
        self.assertEqual(unread_count(self.student), 2)
        self.assertEqual(unread_count(self.student_b_user), 1)
        self.assertEqual(unread_count(self.leader), 0)

    def test_the_context_processor_counts_once_and_only_when_shown(self):
        self.message(self.student_a)
        request = RequestFactory().get("/")
        request.user = self.student
        with self.assertNumQueries(0):
            context = inbox(request)
        template = Template("{{ unread_message_count }}/{{ unread_message_count }}")
        with self.assertNumQueries(1):
            self.assertEqual(template.render(Context(context)), "1/1")
