from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from shouwang.core.tests.photos import MetadataAssertions, damaged_jpeg, phone_photo
from shouwang.volunteers.models import ServiceReport
from shouwang.volunteers.tests.helpers import make_report
from shouwang.volunteers.tests.test_service import FrozenTestCase, SubmitTestCase


class PhotoTestCase(FrozenTestCase):
    URL = SubmitTestCase.URL

    def data(self, **changes):
        return SubmitTestCase.data(self, **changes)  # type: ignore[arg-type]

    def setUp(self):
        super().setUp()
        self.login(self.student)

    def photo_url(self, report: ServiceReport) -> str:
        return reverse("volunteers:service_photo", args=[report.pk])


class PhotoMetadataTests(MetadataAssertions, PhotoTestCase):
    def test_the_photo_keeps_no_location_for_the_counsellor_who_reviews_it(self):
        self.client.post(self.URL, {**self.data(), "photo": phone_photo()})
        report = ServiceReport.objects.get()
        self.login(self.counsellor_a_user)
        data = self.client.get(self.photo_url(report)).getvalue()
        self.assertNoMetadata(data)
        self.assertEqual(report.photo_size, len(data))


class DamagedPhotoTests(PhotoTestCase):
    def test_a_damaged_photo_is_refused_with_a_message(self):
        response = self.client.post(self.URL, {**self.data(), "photo": damaged_jpeg("服务.jpg")})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“服务.jpg” cannot be read as an image")
        self.assertFalse(ServiceReport.objects.exists())

    def test_a_stored_damaged_photo_leaves_the_report_readable(self):
        report = make_report(self.student_a)
        report.photo.save("服务.jpg", ContentFile(damaged_jpeg().read()))
        page = self.client.get(report.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "is damaged and cannot be shown")
        self.assertNotContains(page, 'data-testid="photo"')
        self.assertEqual(self.client.get(self.photo_url(report)).status_code, 404)

    def test_a_photo_whose_file_is_gone_leaves_the_report_readable(self):
        report = make_report(self.student_a)
        report.photo.save("服务.jpg", phone_photo())
        report.photo.storage.delete(report.photo.name)
        self.assertEqual(self.client.get(report.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.photo_url(report)).status_code, 404)


@override_settings(UPLOAD_QUOTA_MB=1)
class QuotaTests(PhotoTestCase):
    def test_a_photo_past_the_quota_is_refused_and_no_report_is_kept(self):
        make_report(self.student_a, photo_size=1024 * 1024)
        response = self.client.post(self.URL, {**self.data(), "photo": phone_photo()})
        self.assertContains(response, "would take you past the 1.0\xa0MB each person may keep")
        self.assertEqual(ServiceReport.objects.count(), 1)
