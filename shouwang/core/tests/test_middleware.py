from django.test import TestCase

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyTests(TestCase):
    """Every response carries the policy."""

    def test_a_page_carries_the_policy(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("default-src 'self'", response[HEADER])
        self.assertIn("frame-ancestors 'none'", response[HEADER])

    def test_json_carries_the_policy(self):
        self.assertIn("default-src 'self'", self.client.get("/health/")[HEADER])

    def test_a_redirect_carries_it_too(self):
        response = self.client.get("/checkin/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("default-src 'self'", response[HEADER])

    def test_an_error_page_carries_the_policy(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("default-src 'self'", response[HEADER])
