"""Nothing a logged-in user is sent stays in a cache; the public site and static files may."""

from django.urls import reverse

from shouwang.checkins.tests.base import IncidentTestCase


class NoStoreTests(IncidentTestCase):
    def assertNoStore(self, response) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_page_with_personal_data_is_not_stored(self):
        self.login(self.counsellor_b_user)
        self.assertNoStore(self.client.get(reverse("compliance:missing")))

    def test_an_export_is_not_stored(self):
        self.login(self.counsellor_b_user)
        self.assertNoStore(self.client.get(reverse("compliance:missing_export")))

    def test_the_api_is_not_stored(self):
        self.login(self.student)
        self.assertNoStore(self.client.get(reverse("api:checkin_me")))

    def test_a_students_own_check_in_page_is_not_stored(self):
        self.login(self.student)
        self.assertNoStore(self.client.get(reverse("checkins:today")))

    def test_the_public_site_and_static_files_stay_cacheable(self):
        for url in (reverse("bulletin:home"), "/static/vendor/htmx-2.0.11/htmx.min.js"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("no-store", response.get("Cache-Control", ""))
