import datetime as dt
import re
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from shouwang.core.jobs import Progress
from shouwang.core.models import JOB_LEASE, BackgroundJob, LogEntry
from shouwang.core.tasks import recover_abandoned_jobs
from shouwang.lib import clock
from shouwang.notices import actions
from shouwang.notices.audience import Audience
from shouwang.notices.message_kinds import NOTICE
from shouwang.notices.models import Notice, Receipt, Reminder
from shouwang.notices.tasks import send_automatic_reminders
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import AdminClass, Person
from shouwang.test import BaseTestCase, make_person


def stats(response) -> list[int]:
    """The recipients, read and acknowledged counts as the author sees them."""
    found = [
        re.search(rf'data-testid="{testid}">(\d+)<', response.text)
        for testid in ("recipients", "read", "acknowledged-count")
    ]
    return [int(match[1]) if match else -1 for match in found]


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def write(author, audience: Audience, **fields) -> Notice:
    values = {
        "title": "关于封控期间管理的通知",
        "body": "请同学们留在宿舍。",
        "requires_acknowledgement": True,
        "deadline": None,
        **fields,
    }
    return actions.write_notice(audience=audience, acting_user=author, **values)


class PublishingTests(BaseTestCase):
    def test_publishing_writes_one_receipt_per_recipient_and_messages_them_once(self):
        notice = write(self.leader, Audience(everyone=True, people=(self.student_a.pk,)))
        with self.captureOnCommitCallbacks(execute=True):
            count = actions.publish(notice, acting_user=self.leader)
        self.assertEqual(count, 9)
        self.assertEqual(Receipt.objects.filter(notice=notice).count(), 9)
        inbox = Message.objects.filter(kind=NOTICE, link=notice.get_absolute_url())
        self.assertEqual(inbox.count(), 9)
        # The task again (a retry, a second worker) adds nothing.
        self.assertEqual(actions.send_notice_messages(notice), 0)
        self.assertEqual(inbox.count(), 9)
        self.assertEqual(inbox.get(recipient=self.student_a).title, notice.title)

    def test_a_sending_whose_worker_died_after_a_batch_is_resumed_and_reaches_each_once(self):
        notice = write(self.leader, Audience(everyone=True))
        with patch.object(actions, "SEND_BATCH", 4), freeze_time(timezone.now()) as clock:
            with self.captureOnCommitCallbacks(execute=False):
                count = actions.publish(notice, acting_user=self.leader)
            job = BackgroundJob.claim(BackgroundJob.objects.of(notice).get().pk)
            assert job is not None
            with self.assertRaises(WorkerKilled):
                actions.send_notice_messages(notice, progress=DiesAfterOneBatch(job))
            inbox = Message.objects.filter(key__startswith=actions.message_key_prefix(notice))
            self.assertEqual(inbox.count(), 4)
            clock.tick(JOB_LEASE + dt.timedelta(seconds=1))
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 1, "failed": 0})
        job.refresh_from_db()
        self.assertEqual((job.state, job.done, job.total, job.attempts), ("done", count, count, 2))
        self.assertEqual(inbox.count(), count)
        self.assertEqual(inbox.values("recipient").distinct().count(), count)
        self.assertEqual(Receipt.objects.filter(notice=notice).count(), count)

    def test_publishing_twice_is_refused(self):
        notice = write(self.leader, Audience(classes=(self.class_a.pk,)))
        actions.publish(notice, acting_user=self.leader)
        with self.assertRaises(actions.AlreadyPublished):
            actions.publish(Notice.objects.get(pk=notice.pk), acting_user=self.leader)
        self.assertEqual(Receipt.objects.filter(notice=notice).count(), 1)

    def test_an_audience_of_nobody_leaves_the_draft_a_draft(self):
        empty = AdminClass.objects.create(name="空班", unit=self.college)
        notice = write(self.leader, Audience(classes=(empty.pk,)))
        with self.assertRaises(actions.NobodyInAudience):
            actions.publish(notice, acting_user=self.leader)
        notice.refresh_from_db()
        self.assertEqual(notice.status, Notice.Status.DRAFT)
        self.assertIsNone(notice.published_at)

    def test_the_receipts_count_the_people_still_at_school_only(self):
        make_person(
            "2020009",
            "休学",
            unit=self.college,
            admin_class=self.class_a,
            status=Person.Status.AWAY,
        )
        notice = write(self.counsellor_a_user, Audience(classes=(self.class_a.pk,)))
        self.assertEqual(actions.publish(notice, acting_user=self.counsellor_a_user), 1)


class ReadingAndAcknowledging(BaseTestCase):
    def setUp(self):
        self.notice = write(self.counsellor_a_user, Audience(classes=(self.class_a.pk,)))
        with self.captureOnCommitCallbacks(execute=True):
            actions.publish(self.notice, acting_user=self.counsellor_a_user)

    def receipt(self) -> Receipt:
        return Receipt.objects.get(notice=self.notice, person=self.student_a)

    def test_opening_marks_the_notice_and_its_inbox_message_read(self):
        self.login(self.student)
        response = self.client.get(self.notice.get_absolute_url())
        self.assertContains(response, "请同学们留在宿舍。")
        self.assertContains(response, 'data-testid="acknowledge"')
        self.assertIsNotNone(self.receipt().read_at)
        self.assertIsNone(self.receipt().acknowledged_at)
        message = Message.objects.get(recipient=self.student_a, kind=NOTICE)
        self.assertIsNotNone(message.read_at)

    def test_received_records_the_time_once(self):
        self.login(self.student)
        url = reverse("notices:notice_acknowledge", args=[self.notice.pk])
        first = clock.now()
        with freeze_time(first):
            response = self.client.post(url, headers={"HX-Request": "true"})
        self.assertContains(response, 'data-testid="acknowledged"')
        with freeze_time(first + dt.timedelta(hours=1)):
            self.client.post(url)
        receipt = self.receipt()
        self.assertEqual(receipt.acknowledged_at, first)
        self.assertEqual(receipt.read_at, first)

    def test_acknowledging_after_the_deadline_is_marked_late(self):
        Notice.objects.filter(pk=self.notice.pk).update(
            deadline=clock.now() - dt.timedelta(hours=1)
        )
        self.login(self.student)
        self.client.post(reverse("notices:notice_acknowledge", args=[self.notice.pk]))
        response = self.client.get(self.notice.get_absolute_url())
        self.assertContains(response, "逾期确认")

    def test_the_outstanding_list_shows_a_student_imported_without_a_unit(self):
        Person.objects.filter(pk=self.student_a.pk).update(unit=None)
        self.login(self.counsellor_a_user)
        outstanding = reverse("notices:notice_outstanding", args=[self.notice.pk])
        self.assertContains(self.client.get(outstanding), self.class_a.name)

    def test_the_author_sees_the_counts_move_and_who_is_outstanding(self):
        self.login(self.counsellor_a_user)
        progress = reverse("notices:notice_progress", args=[self.notice.pk])
        outstanding = reverse("notices:notice_outstanding", args=[self.notice.pk])
        self.assertEqual(stats(self.client.get(progress)), [1, 0, 0])
        self.assertContains(self.client.get(outstanding), "张三")
        actions.acknowledge(self.notice, self.student_a.pk)
        response = self.client.get(progress)
        self.assertEqual(stats(response), [1, 1, 1])
        row = re.search(rf'data-row="class-{self.class_a.pk}">(.*?)</tr>', response.text, re.S)
        assert row is not None
        self.assertEqual(re.findall(r">(\d+)<", row[1]), ["1", "1", "1"])
        self.assertNotContains(self.client.get(outstanding), "张三")

    def test_the_progress_takes_the_same_queries_for_one_class_or_many(self):
        self.login(self.leader)
        url = reverse("notices:notice_progress", args=[self.notice.pk])
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        for n in range(5):
            other = AdminClass.objects.create(name=f"班{n}", unit=self.college)
            for m in range(3):
                person = make_person(
                    f"30{n}{m}", f"学生{n}{m}", unit=self.college, admin_class=other
                )
                Receipt.objects.create(notice=self.notice, person=person)
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(url)
        self.assertEqual(stats(response), [16, 0, 0])
        self.assertEqual(len(large), len(small))


class Reminding(BaseTestCase):
    def setUp(self):
        self.notice = write(
            self.leader,
            Audience(everyone=True, kind="students"),
            deadline=clock.now() + dt.timedelta(days=1),
        )
        actions.publish(self.notice, acting_user=self.leader)
        actions.acknowledge(self.notice, self.student_a.pk)

    def reminded(self) -> list[str]:
        return sorted(
            Message.objects.filter(kind=REMINDER).values_list("recipient__number", flat=True)
        )

    def test_remind_reaches_only_those_who_have_not_acknowledged(self):
        self.login(self.leader)
        url = reverse("notices:notice_remind", args=[self.notice.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, follow=True)
        self.assertContains(response, "2")
        self.assertEqual(self.reminded(), ["2021001", "2021002"])
        self.assertEqual(Reminder.objects.get().recipients, 2)
        # A second click a minute later is refused, and nobody gets a second reminder.
        with freeze_time(clock.now() + dt.timedelta(minutes=1)):
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(url)
        self.assertEqual(self.reminded(), ["2021001", "2021002"])
        self.assertEqual(Reminder.objects.count(), 1)
        # Ten minutes on, it goes out again, to whoever is still outstanding.
        actions.acknowledge(self.notice, self.student_b.pk)
        with freeze_time(clock.now() + dt.timedelta(minutes=11)):
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(url)
        self.assertEqual(self.reminded(), ["2021001", "2021002", "2021002"])

    def test_a_reminder_whose_sender_has_no_login_any_more_still_shows(self):
        Reminder.objects.create(notice=self.notice, sent_by=None, recipients=2)
        self.login(self.leader)
        response = self.client.get(self.notice.get_absolute_url())
        self.assertEqual(response.status_code, 200)

    def test_the_automatic_reminder_goes_once_before_the_deadline(self):
        deadline = self.notice.deadline
        assert deadline is not None
        with freeze_time(deadline - dt.timedelta(hours=3)):
            self.assertEqual(send_automatic_reminders.call(), 0)  # not yet due
        with freeze_time(deadline - dt.timedelta(hours=1, minutes=55)):
            self.assertEqual(send_automatic_reminders.call(), 2)
            self.assertEqual(send_automatic_reminders.call(), 0)
        self.assertEqual(self.reminded(), ["2021001", "2021002"])
        reminder = Reminder.objects.get()
        self.assertTrue(reminder.automatic)
        self.assertEqual(reminder.recipients, 2)

    def test_a_run_after_a_dead_worker_sends_only_what_was_left_out(self):
        # The worker died after the first of two reminders went out.
        reminder = Reminder.objects.create(notice=self.notice, automatic=True, recipients=1)
        Message.objects.create(
            recipient=self.student_b,
            kind=REMINDER,
            title="提醒",
            key=f"notice-auto:{self.notice.pk}:{self.student_b.pk}",
        )
        deadline = self.notice.deadline
        assert deadline is not None
        with freeze_time(deadline - dt.timedelta(hours=1)):
            self.assertEqual(send_automatic_reminders.call(), 1)
        self.assertEqual(self.reminded(), ["2021001", "2021002"])
        reminder.refresh_from_db()
        self.assertEqual(reminder.recipients, 2)


class WritingTests(BaseTestCase):
    url = reverse("notices:notice_new")

    def post(self, **fields):
        data = {"title": "通知", "body": "正文", "kind": "all", **fields}
        return self.client.post(self.url, data)

    def test_a_counsellor_writes_to_their_class_with_an_attachment_and_publishes(self):
        self.login(self.counsellor_a_user)
        response = self.post(
            classes=[self.class_a.pk],
            requires_acknowledgement="on",
            attachments=[SimpleUploadedFile("安排.pdf", PDF)],
        )
        notice = Notice.objects.get()
        self.assertRedirects(response, notice.get_absolute_url())
        self.assertEqual(notice.attachments.get().name, "安排.pdf")
        response = self.client.get(notice.get_absolute_url())
        self.assertEqual(response.context["would_reach"], 1)
        self.client.post(reverse("notices:notice_publish", args=[notice.pk]))
        self.login(self.student)
        file = self.client.get(notice.attachments.get().get_absolute_url())
        self.assertEqual(file.getvalue(), PDF)

    def test_a_counsellor_is_not_offered_the_college_and_cannot_name_others_students(self):
        self.login(self.counsellor_a_user)
        form = self.client.get(self.url).context["form"]
        self.assertNotIn("everyone", form.fields)
        self.assertEqual(list(form.fields["classes"].queryset), [self.class_a])
        response = self.post(people="2021001")
        self.assertContains(response, "2021001")
        self.assertFalse(Notice.objects.exists())
        self.post(classes=[self.class_b.pk])
        self.assertFalse(Notice.objects.exists())

    def test_attachments_are_refused_by_content_and_size(self):
        self.login(self.leader)
        response = self.post(
            everyone="on", attachments=[SimpleUploadedFile("通知.pdf", b"MZ" + b"\0" * 100)]
        )
        self.assertIn("的内容不是 .pdf 文件", response.context["form"].errors["attachments"][0])
        big = SimpleUploadedFile("名单.pdf", PDF + b" " * (21 * 1024 * 1024))
        response = self.post(everyone="on", attachments=[big])
        self.assertIn(
            "21.0\xa0MB，文件不能超过 20.0\xa0MB", response.context["form"].errors["attachments"][0]
        )
        self.assertFalse(Notice.objects.exists())

    def test_a_notice_must_say_who_it_is_for_and_a_deadline_must_be_ahead(self):
        self.login(self.leader)
        response = self.post()
        self.assertContains(response, "请选择通知对象")
        response = self.post(everyone="on", deadline="2000-01-01T10:00")
        self.assertIn("deadline", response.context["form"].errors)
        self.assertFalse(Notice.objects.exists())

    def test_publishing_is_audited(self):
        self.login(self.leader)
        self.post(everyone="on")
        notice = Notice.objects.get()
        self.client.post(reverse("notices:notice_publish", args=[notice.pk]))
        actions = LogEntry.objects.get_for_object(notice).values_list("kind", flat=True)
        self.assertEqual(sorted(actions), ["notices.published", "notices.written"])


class WorkerKilled(BaseException):
    """The worker process killed: no error the job sees, it just stops."""


class DiesAfterOneBatch(Progress):
    def checkpoint(self, done: int, **where) -> None:
        if self.job.checkpoint:
            raise WorkerKilled  # in the second batch's transaction: rolled back
        super().checkpoint(done, **where)
