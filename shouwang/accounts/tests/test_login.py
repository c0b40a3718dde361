import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from shouwang.test import PASSWORD, BaseTestCase


class LoginTestCase(BaseTestCase):
    url = reverse("accounts:login")

    def post(self, username, password=PASSWORD, ip="10.0.0.1"):
        return self.client.post(
            self.url, {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    def test_it_logs_in_with_the_person_number(self):
        response = self.post("2020001")
        self.assertRedirects(response, reverse("home:home"))

    def test_it_accepts_a_number_typed_full_width(self):
        response = self.post("２０２０００１ ")
        self.assertRedirects(response, reverse("home:home"))

    def test_it_rejects_a_wrong_password_with_a_message(self):
        response = self.post("2020001", "wrong")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertContains(response, "alert-danger")

    def test_it_locks_a_number_on_one_network_after_five_failures(self):
        for _ in range(5):
            self.post("2020001", "wrong")
        response = self.post("2020001")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(response.wsgi_request.user.is_authenticated)

    def test_the_lockout_spares_the_rest_of_the_dormitory(self):
        for _ in range(5):
            self.post("2020001", "wrong")
        # Same NAT address, another student: still let in.
        self.assertRedirects(self.post("2021001"), reverse("home:home"))

    def test_the_lockout_spares_the_same_number_on_another_network(self):
        for _ in range(5):
            self.post("2020001", "wrong", ip="10.0.0.1")
        self.assertRedirects(self.post("2020001", ip="10.9.9.9"), reverse("home:home"))


class PasswordChangeTestCase(BaseTestCase):
    url = reverse("accounts:password_change")

    def setUp(self):
        self.student.must_change_password = True
        self.student.save(update_fields=["must_change_password"])
        self.login(self.student)

    def test_it_sends_a_user_with_an_initial_password_to_the_change_form(self):
        response = self.client.get(reverse("home:home"))
        self.assertRedirects(response, f"{self.url}?next=/")

    def test_it_lets_the_user_in_after_the_change(self):
        response = self.client.post(
            f"{self.url}?next=/",
            {
                "old_password": PASSWORD,
                "new_password1": "Chun-Hua-2022",
                "new_password2": "Chun-Hua-2022",
            },
        )
        self.assertRedirects(response, "/")
        self.student.refresh_from_db()
        self.assertFalse(self.student.must_change_password)
        self.assertTrue(self.student.check_password("Chun-Hua-2022"))
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)

    def test_it_refuses_a_weak_new_password_and_keeps_the_old_one(self):
        response = self.client.post(
            self.url,
            {
                "old_password": PASSWORD,
                "new_password1": "12345678",
                "new_password2": "12345678",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.student.refresh_from_db()
        self.assertTrue(self.student.must_change_password)
        self.assertTrue(self.student.check_password(PASSWORD))

    def test_it_ignores_a_next_url_on_another_site(self):
        response = self.client.post(
            f"{self.url}?next=https://evil.example/",
            {
                "old_password": PASSWORD,
                "new_password1": "Chun-Hua-2022",
                "new_password2": "Chun-Hua-2022",
            },
        )
        self.assertRedirects(response, reverse("home:home"))


class SessionTests(BaseTestCase):
    """The session store reads with a plain query; it must still honour expiry."""

    def test_a_logged_in_user_is_known_with_their_person(self):
        self.login(self.student)
        request_user = self.client.get("/").wsgi_request.user
        self.assertEqual(request_user, self.student)
        with self.assertNumQueries(0):
            self.assertEqual(request_user.person, self.student_a)  # type: ignore[union-attr]

    def test_the_request_carries_the_user_itself_once_loaded(self):
        self.login(self.student)
        self.assertIs(type(self.client.get("/").wsgi_request.user), get_user_model())
        self.client.logout()
        self.assertFalse(self.client.get("/health/").wsgi_request.user.is_authenticated)

    def test_an_expired_session_is_logged_out(self):
        from django.contrib.sessions.models import Session

        self.login(self.student)
        Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
        response = self.client.get("/checkin/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
