"""A donation's photos: images only, stored without what the phone wrote into
them, served to those who may see the donation and to no one else."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.core.tests.photos import MetadataAssertions, phone_photo
from shouwang.supplies.models import DonationPhoto

from .donations import DonationsTestCase


class PhotoTest(MetadataAssertions, DonationsTestCase):
    def setUp(self):
        self.donation = self.receive_all(self.pledge_seed())
        self.url = reverse("supplies:donation_photo_add", args=[self.donation.pk])

    def add(self, *files, user=None):
        self.client.force_login(user or self.keeper)
        return self.client.post(self.url, {"photos": list(files)})

    def test_a_photo_is_kept_without_its_metadata_and_shown_to_the_donor(self):
        self.assertRedirects(self.add(phone_photo("到货.jpg")), self.donation.get_absolute_url())
        photo = DonationPhoto.objects.get(donation=self.donation)
        self.assertEqual((photo.name, photo.uploaded_by), ("到货.jpg", self.keeper))
        self.client.force_login(self.donor_user)
        page = self.client.get(self.donation.get_absolute_url())
        self.assertContains(page, photo.get_absolute_url())
        served = self.client.get(photo.get_absolute_url())
        self.assertEqual(served["Content-Type"], "image/jpeg")
        self.assertNoMetadata(b"".join(served.streaming_content))  # type: ignore[attr-defined]

    def test_anything_but_an_image_is_refused(self):
        pdf = SimpleUploadedFile("清单.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        self.add(pdf)
        renamed = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\0" * 60)
        self.add(renamed)
        self.assertFalse(DonationPhoto.objects.exists())

    def test_the_donor_cannot_add_photos(self):
        self.assertEqual(self.add(phone_photo(), user=self.donor_user).status_code, 403)

    def test_others_do_not_find_a_photo(self):
        self.add(phone_photo())
        photo = DonationPhoto.objects.get()
        self.client.force_login(self.student)
        self.assertEqual(self.client.get(photo.get_absolute_url()).status_code, 404)
        # Nor under another donation they may see.
        other = self.pledge_seed()
        self.client.force_login(self.donor_user)
        url = reverse("supplies:donation_photo", args=[other.pk, photo.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
