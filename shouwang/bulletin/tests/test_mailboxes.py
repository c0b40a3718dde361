import datetime as dt

from django.test import override_settings
from django.urls import reverse

from shouwang.accounts.models import User
from shouwang.bulletin import message_kinds
from shouwang.bulletin.actions import client_key
from shouwang.bulletin.models import Letter, Mailbox
from shouwang.bulletin.tasks import forget_letter_clients
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user

from .helpers import FreshCache, make_mailboxes

LETTER = {
    "subject": "隔离期间的三餐",
    "body": "B 栋隔离同学的午饭送得太晚，能否提前？",
    "name": "",
    "contact": "",
}


class MailboxTestCase(FreshCache, BaseTestCase):
    dean_person: Person
    dean: User
    secretary_box: Mailbox
    dean_box: Mailbox

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dean_person = make_person("T0002", "院长", Person.Kind.TEACHER, unit=cls.college)
        cls.dean = make_user(cls.dean_person)
        cls.secretary_box, cls.dean_box = make_mailboxes(cls.leader_person, cls.dean_person)

    def write(self, slug="secretary", ip="10.0.0.1", **data):
        return self.client.post(
            reverse("bulletin:write_letter", args=[slug]), {**LETTER, **data}, REMOTE_ADDR=ip
        )


class WriteLetterTests(MailboxTestCase):
    def test_an_anonymous_letter_is_stored_and_gives_a_query_code(self):
        response = self.write()
        letter = Letter.objects.get()
        self.assertRedirects(response, reverse("bulletin:letter_status", args=[letter.code]))
        self.assertEqual(letter.mailbox, self.secretary_box)
        self.assertEqual(letter.name, "")
        self.assertEqual(len(letter.code), 16)
        self.assertContains(self.client.get(response.url), letter.code)

    def test_it_tells_the_person_the_mailbox_is_routed_to(self):
        self.write(slug="dean")
        letter = Letter.objects.get()
        message = Message.objects.get()
        self.assertEqual(message.recipient, self.dean_person)
        self.assertEqual(message.kind, message_kinds.LETTER)
        self.assertEqual(message.link, letter.get_absolute_url())
        self.assertIn("院长信箱", message.title)

    def test_it_stores_a_hash_of_the_address_not_the_address(self):
        self.write(ip="10.1.2.3")
        letter = Letter.objects.get()
        self.assertEqual(letter.client, client_key("10.1.2.3"))
        self.assertNotIn("10.1.2.3", str(Letter.objects.values().get()))

    def test_the_nightly_job_forgets_the_hash_after_the_hour(self):
        self.write(ip="10.1.2.3")
        self.write(ip="10.1.2.4")
        Letter.objects.filter(client=client_key("10.1.2.3")).update(
            sent_at=clock.now() - dt.timedelta(hours=2)
        )
        forget_letter_clients.call()
        self.assertEqual(
            sorted(Letter.objects.values_list("client", flat=True)), ["", client_key("10.1.2.4")]
        )

    def test_a_robot_filling_the_hidden_field_sends_nothing(self):
        response = self.write(homepage="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Letter.objects.exists())
        self.assertFalse(Message.objects.exists())

    def test_a_long_letter_is_refused_and_kept(self):
        response = self.write(body="长" * 3001)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "长" * 3001)
        self.assertFalse(Letter.objects.exists())

    @override_settings(LETTERS_PER_CLIENT_PER_HOUR=3)
    def test_a_fourth_letter_in_an_hour_from_one_client_waits_and_is_kept(self):
        for _ in range(3):
            self.assertEqual(self.write().status_code, 302)
        response = self.write(body="第四封信的内容")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "第四封信的内容")
        self.assertContains(response, "来信过多")
        self.assertEqual(Letter.objects.count(), 3)
        # Another client is not held up.
        self.assertEqual(self.write(ip="10.0.0.2").status_code, 302)

    @override_settings(LETTERS_PER_CLIENT_PER_HOUR=3)
    def test_the_client_limit_lifts_after_an_hour(self):
        for _ in range(3):
            self.write()
        Letter.objects.update(sent_at=clock.now() - dt.timedelta(minutes=61))
        self.assertEqual(self.write().status_code, 302)

    @override_settings(LETTERS_PER_MINUTE=5, LETTERS_PER_CLIENT_PER_HOUR=100)
    def test_a_flood_from_many_clients_of_one_network_is_held_at_the_minutes_cap(self):
        for i in range(5):
            self.assertEqual(self.write(ip=f"10.0.1.{i}").status_code, 302)
        response = self.write(ip="10.0.1.200")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Letter.objects.count(), 5)

    def test_nothing_a_visitor_writes_shows_on_the_public_pages(self):
        self.write(subject="独一无二的主题")
        for url in [reverse("bulletin:home"), reverse("bulletin:write_letter", args=["secretary"])]:
            self.assertNotContains(self.client.get(url), "独一无二的主题")


class LetterStatusTests(MailboxTestCase):
    def test_the_code_shows_the_answer(self):
        self.write()
        letter = Letter.objects.get()
        self.login(self.leader)
        self.client.post(letter.get_absolute_url(), {"answer": "已协调后勤，午饭11:30前送达。"})
        self.client.logout()
        response = self.client.get(reverse("bulletin:letter_status", args=[letter.code]))
        self.assertContains(response, "已协调后勤，午饭11:30前送达。")

    def test_the_lookup_form_accepts_a_code_typed_in_lower_case_with_spaces(self):
        self.write()
        code = Letter.objects.get().code
        response = self.client.get(
            reverse("bulletin:letter_lookup"), {"code": f" {code[:8].lower()} {code[8:]} "}
        )
        self.assertRedirects(response, reverse("bulletin:letter_status", args=[code]))

    def test_a_code_that_cannot_be_one_is_refused_with_a_message(self):
        for code in ("a/b", "ABC", "A" * 15 + "/", "<script>"):
            response = self.client.get(reverse("bulletin:letter_lookup"), {"code": code})
            self.assertContains(response, "查询码是16位字母和数字")
            self.assertFalse(response.context["form"].is_valid())

    def test_a_wrong_code_is_not_found(self):
        self.write()
        response = self.client.get(reverse("bulletin:letter_status", args=["A" * 16]))
        self.assertEqual(response.status_code, 404)

    def test_the_page_is_not_kept_by_caches(self):
        self.write()
        code = Letter.objects.get().code
        response = self.client.get(reverse("bulletin:letter_status", args=[code]))
        self.assertIn("no-store", response["Cache-Control"])


class LetterDetailTests(MailboxTestCase):
    def setUp(self):
        super().setUp()
        self.write(contact="13912345678", name="张同学")
        self.letter = Letter.objects.get()

    def test_the_person_it_is_routed_to_reads_it_and_it_is_audited(self):
        self.login(self.leader)
        response = self.client.get(self.letter.get_absolute_url())
        self.assertContains(response, "13912345678")
        entry = LogEntry.objects.get_for_object(self.letter).reads().get()
        self.assertEqual(entry.actor, self.leader)

    def test_a_letter_answered_by_a_login_deleted_since_still_opens(self):
        Letter.objects.filter(pk=self.letter.pk).update(
            answer="已转学院办公室处理。", answered_at=self.letter.sent_at, answered_by=None
        )
        self.login(self.leader)
        self.assertContains(self.client.get(self.letter.get_absolute_url()), "已转学院办公室处理。")

    def test_an_admin_reads_it(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(self.letter.get_absolute_url()).status_code, 200)

    def test_others_do_not_find_it(self):
        for user in (self.dean, self.counsellor_a_user, self.student):
            self.login(user)
            self.assertEqual(self.client.get(self.letter.get_absolute_url()).status_code, 404)
        self.assertFalse(LogEntry.objects.reads().exists())

    def test_only_the_routed_person_answers(self):
        self.login(self.dean)
        response = self.client.post(self.letter.get_absolute_url(), {"answer": "冒名回复"})
        self.assertEqual(response.status_code, 404)
        self.login(self.leader)
        self.client.post(self.letter.get_absolute_url(), {"answer": "收到，马上处理。"})
        self.letter.refresh_from_db()
        self.assertEqual(self.letter.answer, "收到，马上处理。")
        self.assertEqual(self.letter.answered_by, self.leader)
        self.assertIsNotNone(self.letter.answered_at)

    def test_the_list_shows_ones_own_mailboxes_letters(self):
        self.client.post(
            reverse("bulletin:write_letter", args=["dean"]),
            {**LETTER, "subject": "给院长的信"},
            REMOTE_ADDR="10.9.9.9",
        )
        self.login(self.leader)
        response = self.client.get(reverse("bulletin:letter_list"))
        self.assertContains(response, "隔离期间的三餐")
        self.assertNotContains(response, "给院长的信")
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("bulletin:letter_list")).status_code, 404)

    def test_the_letter_list_costs_the_same_for_many_letters(self):
        self.login(self.leader)
        self.client.get(reverse("bulletin:letter_list"))
        with self.assertNumQueries(8):
            self.client.get(reverse("bulletin:letter_list"))
        for i in range(5):
            self.write(ip=f"10.3.0.{i}")
        with self.assertNumQueries(8):
            self.client.get(reverse("bulletin:letter_list"))
