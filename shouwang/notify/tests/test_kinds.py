"""Message kinds come from the apps that send them: notify lists none, so a new
sender needs no migration here, and a kind nobody registered is refused."""

from io import StringIO
from unittest import mock

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.urls import reverse

from shouwang.notify import kinds
from shouwang.notify.actions import send
from shouwang.notify.kinds import ESCALATION, REGISTRY, register
from shouwang.notify.models import Message
from shouwang.test import BaseTestCase


class MessageKindTestCase(BaseTestCase):
    def setUp(self):
        # A kind registered by a test is gone after it.
        patcher = mock.patch.dict(REGISTRY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_kind_nobody_registered_is_refused(self):
        with self.assertRaises(ValidationError):
            send([self.student_a], "library", "预约的书到了")
        with self.assertRaises(ValidationError):
            Message(recipient=self.student_a, kind="library", title="预约的书到了").full_clean()
        self.assertFalse(Message.objects.exists())

    def test_a_new_sender_s_kind_needs_no_migration(self):
        register("library", "图书馆")
        self.assertEqual(send([self.student_a], "library", "预约的书到了"), 1)
        Message(recipient=self.student_a, kind="library", title="预约的书到了").full_clean()
        # Exits non-zero if a model differs from the migrations.
        call_command("makemigrations", "notify", "--check", "--dry-run", stdout=StringIO())
        self.login(self.student)
        self.assertContains(self.client.get(reverse("notify:inbox")), "图书馆")

    def test_a_kind_is_registered_once(self):
        with self.assertRaises(ImproperlyConfigured):
            register(ESCALATION, "上报")
        with self.assertRaises(ImproperlyConfigured):
            register("a-code-longer-than-the-column", "太长")

    def test_the_inbox_labels_each_kind_with_its_sender_s_label(self):
        send([self.student_a], ESCALATION, "有人未打卡")
        self.login(self.student)
        self.assertContains(self.client.get(reverse("notify:inbox")), "上报")

    def test_a_message_whose_kind_is_no_longer_registered_still_shows(self):
        register("library", "图书馆")
        send([self.student_a], "library", "预约的书到了")
        del REGISTRY["library"]
        self.login(self.student)
        response = self.client.get(reverse("notify:inbox"))
        self.assertContains(response, "预约的书到了")
        self.assertEqual(Message.objects.get().kind_label, "library")

    def test_a_kind_that_opens_its_link_skips_the_message_page(self):
        register("library", "图书馆", opens_link=True)
        send([self.student_a], "library", "预约的书到了", link="/library/")
        send([self.student_a], ESCALATION, "有人未打卡", link="/escalated/")
        self.login(self.student)
        response = self.client.get(reverse("notify:inbox"))
        self.assertContains(response, 'href="/library/"')
        self.assertNotContains(response, 'href="/escalated/"')
        escalation = Message.objects.get(kind=ESCALATION)
        self.assertContains(response, reverse("notify:message_detail", args=[escalation.pk]))
        self.assertTrue(kinds.opens_link("library"))
        self.assertFalse(kinds.opens_link(ESCALATION))
