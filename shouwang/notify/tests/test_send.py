from django.db import IntegrityError, transaction

from shouwang.notify.actions import deliver, not_yet_sent, send
from shouwang.notify.channels import Inbox
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import BaseTestCase


class SendTestCase(BaseTestCase):
    def test_it_stores_one_message_per_recipient(self):
        sent = send([self.student_a, self.student_b], ESCALATION, "Hello", "Body", "/")
        self.assertEqual(sent, 2)
        self.assertEqual(
            sorted(Message.objects.values_list("recipient__number", "title", "body", "link")),
            [("2020001", "Hello", "Body", "/"), ("2021001", "Hello", "Body", "/")],
        )

    def test_a_key_makes_a_repeat_a_no_op(self):
        def key(person):
            return f"hello:{person.pk}"

        self.assertEqual(send([self.student_a], ESCALATION, "Hello", key_for=key), 1)
        again = send([self.student_a, self.student_b], ESCALATION, "Hello", key_for=key)
        self.assertEqual(again, 1)
        self.assertEqual(Message.objects.filter(recipient=self.student_a).count(), 1)
        self.assertEqual(Message.objects.filter(recipient=self.student_b).count(), 1)

    def test_messages_without_a_key_are_not_deduplicated(self):
        send([self.student_a], ESCALATION, "Hello")
        send([self.student_a], ESCALATION, "Hello")
        self.assertEqual(Message.objects.count(), 2)

    def test_it_refuses_a_link_off_the_site(self):
        message = Message(recipient=self.student_a, kind=ESCALATION, title="x")
        message.link = "https://example.com/"
        with self.assertRaises(ValueError):
            deliver([message])
        self.assertFalse(Message.objects.exists())

    def test_not_yet_sent_leaves_out_the_people_already_reached(self):
        send([self.student_a], ESCALATION, "Hello", key_for=lambda p: f"k:{p.pk}")
        people = Person.objects.filter(pk__in=[self.student_a.pk, self.student_b.pk])
        self.assertEqual(list(not_yet_sent(people, "k:")), [self.student_b])


class InboxChannelTestCase(BaseTestCase):
    def keyed(self, person) -> Message:
        return Message(recipient=person, kind=REMINDER, title="Check in", key=f"r:{person.pk}")

    def test_two_workers_storing_the_same_keys_store_each_once(self):
        # Neither worker saw the other's rows: the database alone keeps them apart.
        Inbox().send([self.keyed(self.student_a)])
        Inbox().send([self.keyed(self.student_a), self.keyed(self.student_b)])
        self.assertEqual(
            sorted(Message.objects.values_list("key", flat=True)),
            [f"r:{self.student_a.pk}", f"r:{self.student_b.pk}"],
        )

    def test_the_key_is_unique_in_the_database(self):
        self.keyed(self.student_a).save()
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.keyed(self.student_a).save()
