"""Behind the documented proxy, login lockout counts the visitor, not the proxy."""

from django.test import override_settings
from django.urls import reverse

from shouwang.test import PASSWORD, BaseTestCase

PROXY = "192.168.10.2"


@override_settings(PROXY_COUNT=1)
class LockoutBehindAProxyTests(BaseTestCase):
    def post(self, visitor: str, password: str = PASSWORD, forwarded: str = ""):
        return self.client.post(
            reverse("accounts:login"),
            {"username": "2020001", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forwarded}{visitor}",
        )

    def test_five_wrong_passwords_lock_out_that_visitor_only(self):
        for _ in range(5):
            self.post("203.0.113.7", "wrong")
        self.assertEqual(self.post("203.0.113.7").status_code, 429)
        # The student, from their own phone behind the same proxy, still gets in.
        self.assertRedirects(self.post("198.51.100.20"), reverse("home:home"))

    def test_a_forged_header_does_not_give_the_attacker_fresh_attempts(self):
        for forged in ("1.1.1.1, ", "2.2.2.2, ", "3.3.3.3, ", "4.4.4.4, ", "5.5.5.5, "):
            self.post("203.0.113.7", "wrong", forwarded=forged)
        self.assertEqual(self.post("203.0.113.7", forwarded="6.6.6.6, ").status_code, 429)

    @override_settings(PROXY_COUNT=0)
    def test_without_a_declared_proxy_the_header_is_not_believed(self):
        for visitor in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"):
            self.post(visitor, "wrong")
        self.assertEqual(self.post("203.0.113.6").status_code, 429)
