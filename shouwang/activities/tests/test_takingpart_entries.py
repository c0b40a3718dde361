"""Entries: submitted and replaced before entries close, of the kinds and
sizes the activity takes, images re-encoded, files served as attachments to
those who may see the entry; a video streams to disk."""

import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from shouwang.activities import actions
from shouwang.activities.models import Activity, Entry, EntryFile
from shouwang.core.tests.photos import MetadataAssertions, phone_photo
from shouwang.lib import clock

from .takingpart import TakingPartTestCase, png

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


class EntryFormTests(MetadataAssertions, TakingPartTestCase):
    def url(self, activity=None):
        return reverse("activities:entry_form", args=[(activity or self.contest).pk])

    def send(self, user, *files, title="团史手抄报"):
        self.login(user)
        return self.client.post(self.url(), {"title": title, "attachments": list(files)})

    def test_a_student_sends_an_image_kept_without_its_metadata(self):
        response = self.send(self.student, phone_photo("手抄报.jpg"))
        entry = Entry.objects.get(activity=self.contest, person=self.student_a)
        self.assertRedirects(response, entry.get_absolute_url())
        stored = entry.files.get()
        self.assertEqual(stored.uploaded_by, self.student)
        served = self.client.get(reverse("activities:entry_file", args=[entry.pk, stored.pk]))
        self.assertIn("attachment", served["Content-Disposition"])
        self.assertNoMetadata(b"".join(served.streaming_content))  # type: ignore[attr-defined]

    def test_a_new_entry_replaces_the_old_one_files_and_all(self):
        self.send(self.student, png("初稿.png"))
        self.send(self.student, png("定稿.png"), title="团史手抄报（定稿）")
        entry = Entry.objects.get(activity=self.contest, person=self.student_a)
        self.assertEqual(entry.title, "团史手抄报（定稿）")
        # Re-encoded: a picture without transparency is kept as a JPEG.
        self.assertEqual(list(entry.files.values_list("name", flat=True)), ["定稿.jpg"])
        self.assertEqual(EntryFile.objects.count(), 1)

    def test_a_team_has_one_entry_any_member_replaces(self):
        actions.create_team(
            self.contest,
            self.student_b,
            "信管小队",
            [self.volunteer_person],
            acting_user=self.student_b_user,
        )
        self.send(self.student_b_user, png())
        self.send(self.volunteer, png(), title="队员改稿")
        entry = Entry.objects.get(activity=self.contest, team__name="信管小队")
        self.assertEqual((entry.title, entry.person), ("队员改稿", self.volunteer_person))

    def test_after_entries_close_nothing_is_taken(self):
        self.contest.entries_close_at = clock.now() - dt.timedelta(minutes=1)
        self.contest.save(update_fields=["entries_close_at"])
        self.login(self.student)
        self.assertContains(self.client.get(self.url()), "Entries have closed.")
        self.send(self.student, png())
        self.assertFalse(Entry.objects.exists())

    def test_a_student_not_signed_up_is_told_to_sign_up_first(self):
        self.login(self.student_b_user)
        self.assertContains(self.client.get(self.url()), "Sign up first.")
        self.send(self.student_b_user, png())
        self.assertFalse(Entry.objects.exists())

    def test_a_kind_the_activity_does_not_take_is_refused(self):
        video = SimpleUploadedFile("祝福.mp4", MP4, content_type="video/mp4")
        page = self.send(self.student, video)
        self.assertContains(page, "祝福.mp4 is not a kind of file this activity takes.")
        self.assertFalse(Entry.objects.exists())

    def test_a_renamed_file_is_refused_by_its_content(self):
        renamed = SimpleUploadedFile("手抄报.png", b"MZ\x90\x00" + b"\0" * 60)
        page = self.send(self.student, renamed)
        self.assertContains(page, "is not really a .png file")
        self.assertFalse(Entry.objects.exists())

    def test_the_form_says_the_limits_and_what_the_student_may_still_upload(self):
        self.login(self.student)
        page = self.client.get(self.url())
        self.assertContains(page, "image 10.0\xa0MB")
        self.assertContains(page, "You may still upload 50.0\xa0MB")

    def test_an_activity_without_entries_has_no_entry_page(self):
        festival = self.make_activity()
        self.login(self.student)
        self.assertEqual(self.client.get(self.url(festival)).status_code, 404)


class FileLimitTests(TakingPartTestCase):
    def crafted(self, name: str, size: int) -> SimpleUploadedFile:
        """A file that says it is `size` bytes: the limit is read from the upload's size."""
        upload = SimpleUploadedFile(name, b"x")
        upload.size = size
        return upload

    def test_each_kind_has_its_own_limit(self):
        videos = self.make_activity(
            title="“我为团团献祝福”视频征集",
            kind=Activity.Kind.COLLECTION,
            entry_kinds=[Activity.EntryKind.VIDEO, Activity.EntryKind.IMAGE],
            entries_close_at=clock.now() + dt.timedelta(days=3),
        )
        mb = 1024 * 1024
        actions.check_files(videos, [self.crafted("祝福.mp4", 200 * mb)])
        with self.assertRaisesMessage(ValidationError, "祝福.mp4 is larger than 200 MB."):
            actions.check_files(videos, [self.crafted("祝福.mp4", 200 * mb + 1)])
        with self.assertRaisesMessage(ValidationError, "海报.png is larger than 10 MB."):
            actions.check_files(videos, [self.crafted("海报.png", 10 * mb + 1)])

    def test_at_most_five_files(self):
        with self.assertRaisesMessage(ValidationError, "At most 5 files."):
            actions.check_files(self.contest, [png(f"{n}.png") for n in range(6)])

    def test_a_large_video_streams_to_a_temporary_file_not_memory(self):
        # Django keeps an upload in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and
        # writes a larger one to disk as it arrives: a 200 MB video must not be
        # held in a worker's memory.
        self.assertLess(settings.FILE_UPLOAD_MAX_MEMORY_SIZE, 10 * 1024 * 1024)
        big = settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1
        body = encode_multipart(
            BOUNDARY, {"files": SimpleUploadedFile("祝福.mp4", MP4 + b"\0" * big)}
        )
        request = RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT)
        parser = MultiPartParser(request.META, io.BytesIO(body), request.upload_handlers)
        _data, files = parser.parse()
        self.assertIsInstance(files["files"], TemporaryUploadedFile)


class EntryPageTests(TakingPartTestCase):
    entry: Entry

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entry = actions.submit_entry(
            cls.contest, cls.student_a, "团史手抄报", [png()], acting_user=cls.student
        )

    def page(self, user):
        self.login(user)
        return self.client.get(self.entry.get_absolute_url())

    def test_the_student_sees_their_entry_and_may_replace_it(self):
        page = self.page(self.student)
        self.assertContains(page, "团史手抄报")
        self.assertContains(page, "张三")
        self.assertContains(page, reverse("activities:entry_form", args=[self.contest.pk]))

    def test_its_runners_see_it(self):
        for user in (self.organiser, self.leader, self.admin):
            self.assertEqual(self.page(user).status_code, 200)

    def test_other_students_and_staff_do_not(self):
        for user in (self.student_b_user, self.volunteer, self.counsellor_a_user, self.teacher):
            self.assertEqual(self.page(user).status_code, 404)
            stored = self.entry.files.get()
            url = reverse("activities:entry_file", args=[self.entry.pk, stored.pk])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_file_of_another_entry_is_not_found_through_this_one(self):
        actions.sign_up(self.contest, self.student_b, acting_user=self.student_b_user)
        other = actions.submit_entry(
            self.contest, self.student_b, "别的", [png()], acting_user=self.student_b_user
        )
        self.login(self.student)
        url = reverse("activities:entry_file", args=[self.entry.pk, other.files.get().pk])
        self.assertEqual(self.client.get(url).status_code, 404)
