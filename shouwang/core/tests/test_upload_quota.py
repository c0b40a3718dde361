"""The upload quota counts every kind of file a person keeps on the site, in one query."""

from django.apps import apps
from django.test import SimpleTestCase, override_settings

from shouwang.bulletin.models import ArticleAttachment, ArticleImage
from shouwang.bulletin.tests.helpers import make_article, make_sections
from shouwang.core.tests.photos import phone_photo
from shouwang.core.uploads import MB, STORED_FILES, Attachment, stored_bytes
from shouwang.helpdesk.models import HelpRequestAttachment
from shouwang.helpdesk.tests.helpers import make_request
from shouwang.notices.models import Notice, NoticeAttachment
from shouwang.test import BaseTestCase
from shouwang.volunteers.tests.helpers import make_report


class StoredBytesTests(BaseTestCase):
    def keep_one_of_each(self, user, size: int) -> None:
        """One file of every kind, `size` bytes each, sent by `user`."""
        article = make_article(make_sections()["news"], "送餐", author=user)
        ArticleImage.objects.create(article=article, file="a.jpg", size=size, uploaded_by=user)
        ArticleAttachment.objects.create(
            article=article, file="a.pdf", name="a.pdf", size=size, uploaded_by=user
        )
        HelpRequestAttachment.objects.create(
            request=make_request(user), file="h.pdf", name="h.pdf", size=size, uploaded_by=user
        )
        notice = Notice.objects.create(author=user, title="通知", body="正文")
        NoticeAttachment.objects.create(
            notice=notice, file="n.pdf", name="n.pdf", size=size, uploaded_by=user
        )
        make_report(user.person, photo="s.jpg", photo_size=size)

    def test_every_kind_of_file_counts_and_only_the_senders(self):
        self.keep_one_of_each(self.volunteer, 100 * 1024)
        HelpRequestAttachment.objects.create(
            request=make_request(self.student),
            file="x.pdf",
            name="x.pdf",
            size=7 * 1024,
            uploaded_by=self.student,
        )
        with self.assertNumQueries(1):
            self.assertEqual(stored_bytes(self.volunteer), 500 * 1024)
        self.assertEqual(stored_bytes(self.student), 7 * 1024)
        self.assertEqual(stored_bytes(self.leader), 0)

    @override_settings(UPLOAD_QUOTA_MB=1)
    def test_files_kept_in_one_app_count_against_an_upload_in_another(self):
        # A hundred bytes short of the quota: a small photo goes past it.
        self.keep_one_of_each(self.volunteer, (MB - 100) // 5)
        self.login(self.volunteer)
        response = self.client.post(
            "/help/new/",
            {
                "category": "living",
                "urgency": "normal",
                "description": "饭卡丢了，食堂吃不上饭",
                "still_submit": "on",
                "attachments": [phone_photo()],
            },
        )
        self.assertContains(response, "每人最多可保存 1.0\xa0MB")
        self.assertEqual(
            HelpRequestAttachment.objects.filter(uploaded_by=self.volunteer).count(), 1
        )


class StoredFilesTests(SimpleTestCase):
    def test_every_kind_of_attachment_counts_towards_the_quota(self):
        counted = {label for label, _size, _path in STORED_FILES}
        attachments = [m for m in apps.get_models() if issubclass(m, Attachment)]
        self.assertGreaterEqual(len(attachments), 3)
        for model in attachments:
            with self.subTest(model=model._meta.label):
                self.assertIn(model._meta.label, counted)
