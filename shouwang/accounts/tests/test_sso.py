"""Campus sign-on against a fake CAS server and a fake OpenID Connect
provider on 127.0.0.1: the browser's trip through the campus login page is
made with requests, the rest with the test client."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.checks import Error
from django.db import connection
from django.test import Client, SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_cas_ng.models import SessionTicket

from shouwang.accounts.checks import check_campus_sign_on, check_campus_sign_on_over_https
from shouwang.accounts.models import User
from shouwang.accounts.sso import CAS_BACKEND, OIDC_BACKEND
from shouwang.accounts.tasks import forget_ended_cas_sessions
from shouwang.test import PASSWORD, BaseTestCase

from .fake_sign_on import LOGOUT_REQUEST, FakeCAS, FakeOIDC, FakeServer

CAS_LOGIN = reverse("accounts:cas_login")
OIDC_LOGIN = reverse("accounts:oidc_login")
BUTTON = "统一身份认证登录"
NOT_FOUND = "未在本系统的名册中找到"


class SignOnTestCase(BaseTestCase):
    """Starts `server` for the class and configures its provider for each test."""

    server_class: type[FakeServer]
    server: FakeServer
    login_url: str

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = cls.server_class()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)

    def configure(self, **settings_):
        override = override_settings(**settings_)
        override.enable()
        self.addCleanup(override.disable)

    def sign_on(self, campus_id: str, url: str = "", **extra):
        """Click the button, sign in at the campus as `campus_id`, come back."""
        self.server.signs_in(campus_id)
        response = self.client.get(url or self.login_url, **extra)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.server.url), response["Location"])
        campus = requests.get(response["Location"], allow_redirects=False, timeout=10)
        self.assertEqual(campus.status_code, 302)
        return self.client.get(campus.headers["Location"], **extra)

    def onward(self, response) -> str:
        """Where a logout page sends the browser on to, and shows a link to."""
        self.assertEqual(response.status_code, 200)
        url = response["Refresh"].removeprefix("0;url=")
        self.assertContains(response, f'href="{escape(url)}"')
        return url

    def assertLoggedInAs(self, user: User) -> None:
        response = self.client.get(reverse("home:home"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.wsgi_request.user, user)

    def assertLoggedOut(self) -> None:
        self.assertRedirects(
            self.client.get(reverse("home:home")), f"{reverse('accounts:login')}?next=/"
        )


class CASTestCase(SignOnTestCase):
    server_class = FakeCAS
    server: FakeCAS
    login_url = CAS_LOGIN

    def setUp(self):
        self.server.id_attribute = ""
        self.configure(
            CAS_SERVER_URL=self.server.server_url,
            AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, CAS_BACKEND],
        )

    def test_a_person_on_the_roster_lands_on_the_home_page_logged_in(self):
        response = self.sign_on(self.student.username)
        self.assertRedirects(response, reverse("home:home"))
        self.assertLoggedInAs(self.student)

    def test_a_signed_on_person_costs_each_page_no_more_queries_than_a_password_login(self):
        self.client.post(
            reverse("accounts:login"), {"username": self.student.username, "password": PASSWORD}
        )
        with CaptureQueriesContext(connection) as by_password:
            self.client.get(reverse("home:home"))
        # Counted now: the next request starts by clearing the log.
        expected = len(by_password)
        self.client.post(reverse("accounts:logout"))
        self.sign_on(self.student.username)
        with self.assertNumQueries(expected):
            self.client.get(reverse("home:home"))

    def test_an_unknown_id_gets_a_clear_page_and_no_account(self):
        users = User.objects.count()
        response = self.sign_on("2099999")
        self.assertContains(response, NOT_FOUND, status_code=403)
        self.assertContains(response, "2099999", status_code=403)
        self.assertContains(response, "辅导员", status_code=403)
        self.assertEqual(User.objects.count(), users)
        self.assertLoggedOut()

    def test_the_clear_page_names_the_contact_the_college_set(self):
        with override_settings(SSO_CONTACT="信息学院学工办 0351-7666666"):
            response = self.sign_on("2099999")
        self.assertContains(response, "信息学院学工办 0351-7666666", status_code=403)

    def test_a_disabled_account_is_refused(self):
        self.student.is_active = False
        self.student.save(update_fields=["is_active"])
        response = self.sign_on(self.student.username)
        self.assertContains(response, "已停用", status_code=403)
        self.assertLoggedOut()

    def test_a_forged_ticket_is_refused(self):
        response = self.client.get(CAS_LOGIN, {"ticket": "ST-forged"})
        self.assertContains(response, "统一身份认证未能确认你的身份", status_code=403)
        self.assertLoggedOut()

    def test_a_cas_server_that_is_down_gets_the_failure_page(self):
        self.server.down = True
        try:
            response = self.sign_on(self.student.username)
        finally:
            self.server.down = False
        self.assertContains(response, "统一身份认证未能确认你的身份", status_code=403)
        self.assertLoggedOut()

    def test_a_person_with_an_initial_password_is_not_sent_to_change_it(self):
        self.student.must_change_password = True
        self.student.save(update_fields=["must_change_password"])
        self.sign_on(self.student.username)
        self.assertLoggedInAs(self.student)

    def test_a_password_login_with_an_initial_password_must_still_change_it(self):
        self.student.must_change_password = True
        self.student.save(update_fields=["must_change_password"])
        self.client.post(
            reverse("accounts:login"), {"username": self.student.username, "password": PASSWORD}
        )
        response = self.client.get(reverse("home:home"))
        self.assertRedirects(response, f"{reverse('accounts:password_change')}?next=/")

    def test_it_reads_the_number_from_the_attribute_it_is_told(self):
        self.server.id_attribute = "employeeNumber"
        with override_settings(CAS_USERNAME_ATTRIBUTE="employeeNumber"):
            self.sign_on(self.leader.username)
        self.assertLoggedInAs(self.leader)

    def test_it_goes_on_to_the_page_asked_for(self):
        response = self.sign_on(self.student.username, f"{CAS_LOGIN}?next=/checkin/")
        self.assertRedirects(response, "/checkin/", fetch_redirect_response=False)

    def test_it_ignores_a_next_address_on_another_site(self):
        response = self.sign_on(self.student.username, f"{CAS_LOGIN}?next=https://evil.example/")
        self.assertRedirects(response, reverse("home:home"))

    def test_unknown_ids_do_not_lock_the_sign_on_of_a_shared_network(self):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            self.sign_on("2099999", REMOTE_ADDR="10.0.0.1")
        self.sign_on(self.student.username, REMOTE_ADDR="10.0.0.1")
        self.assertLoggedInAs(self.student)

    def test_logging_out_ends_the_campus_session_too(self):
        self.sign_on(self.student.username)
        response = self.client.post(reverse("accounts:logout"))
        self.assertTrue(self.onward(response).startswith(f"{self.server.server_url}logout?"))
        self.assertLoggedOut()

    def test_logging_out_returns_to_this_site_only(self):
        self.sign_on(self.student.username)
        response = self.client.post(f"{reverse('accounts:logout')}?next=https://evil.example/")
        query = parse_qs(urlsplit(self.onward(response)).query)
        self.assertEqual(query["service"], ["http://testserver/"])

    def test_a_logout_at_the_campus_ends_the_session_here(self):
        self.sign_on(self.student.username)
        ticket = self.server.issued[-1]
        # The CAS server's back-channel post carries no cookie and no CSRF token.
        campus = Client(enforce_csrf_checks=True)
        response = campus.post(CAS_LOGIN, {"logoutRequest": LOGOUT_REQUEST.format(ticket=ticket)})
        self.assertEqual(response.status_code, 302)
        self.assertLoggedOut()

    def test_the_tickets_of_ended_sessions_are_forgotten(self):
        self.sign_on(self.student.username)
        ended = self.client.session.session_key
        self.client = Client()
        self.sign_on(self.leader.username)
        Session.objects.filter(session_key=ended).update(expire_date=timezone.now())
        self.assertEqual(forget_ended_cas_sessions.call(), 1)
        self.assertEqual(
            list(SessionTicket.objects.values_list("session_key", flat=True)),
            [self.client.session.session_key],
        )

    def test_a_password_login_logs_out_without_the_campus(self):
        self.client.post(
            reverse("accounts:login"), {"username": self.student.username, "password": PASSWORD}
        )
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("accounts:login"))

    def test_password_login_still_works(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": self.student.username, "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("home:home"))

    def test_the_login_page_shows_the_button(self):
        response = self.client.get(reverse("accounts:login"), {"next": "/checkin/"})
        self.assertContains(response, BUTTON)
        self.assertContains(response, f'href="{CAS_LOGIN}?next=%2Fcheckin%2F"')


class OIDCTestCase(SignOnTestCase):
    server_class = FakeOIDC
    server: FakeOIDC
    login_url = OIDC_LOGIN

    def setUp(self):
        self.configure(
            **self.server.endpoints(),
            AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND],
        )

    def test_a_person_on_the_roster_lands_on_the_home_page_logged_in(self):
        response = self.sign_on(self.student.username)
        self.assertRedirects(response, reverse("home:home"))
        self.assertLoggedInAs(self.student)

    def test_an_unknown_id_gets_a_clear_page_and_no_account(self):
        users = User.objects.count()
        response = self.sign_on("2099999")
        self.assertContains(response, NOT_FOUND, status_code=403)
        self.assertEqual(User.objects.count(), users)
        self.assertLoggedOut()

    def test_a_disabled_account_is_refused(self):
        self.student.is_active = False
        self.student.save(update_fields=["is_active"])
        response = self.sign_on(self.student.username)
        self.assertContains(response, "已停用", status_code=403)
        self.assertLoggedOut()

    def test_an_id_token_signed_with_another_key_is_refused(self):
        self.server.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        try:
            response = self.sign_on(self.student.username)
        finally:
            self.server.signing_key = self.server.key
        self.assertEqual(response.status_code, 400)
        self.assertLoggedOut()

    def test_an_id_token_for_another_application_is_refused(self):
        self.server.audience = "another-campus-application"
        try:
            response = self.sign_on(self.student.username)
        finally:
            self.server.audience = self.server.client_id
        self.assertContains(response, "统一身份认证未能确认你的身份", status_code=403)
        self.assertLoggedOut()

    def test_a_provider_that_is_down_gets_the_failure_page(self):
        self.server.down = True
        try:
            response = self.sign_on(self.student.username)
        finally:
            self.server.down = False
        self.assertContains(response, "统一身份认证未能确认你的身份", status_code=403)
        self.assertLoggedOut()

    def test_a_refusal_at_the_provider_gets_the_failure_page(self):
        response = self.client.get(
            reverse("accounts:oidc_callback"), {"error": "access_denied", "state": "x"}
        )
        self.assertContains(response, "统一身份认证未能确认你的身份", status_code=403)

    def test_a_person_with_an_initial_password_is_not_sent_to_change_it(self):
        self.student.must_change_password = True
        self.student.save(update_fields=["must_change_password"])
        self.sign_on(self.student.username)
        self.assertLoggedInAs(self.student)

    def test_logging_out_ends_the_provider_session_when_it_has_a_logout_address(self):
        with override_settings(
            OIDC_OP_LOGOUT_ENDPOINT=f"{self.server.url}/logout", OIDC_STORE_ID_TOKEN=True
        ):
            self.sign_on(self.student.username)
            response = self.client.post(reverse("accounts:logout"))
        self.assertTrue(self.onward(response).startswith(f"{self.server.url}/logout?"))
        query = parse_qs(urlsplit(self.onward(response)).query)
        self.assertEqual(query["post_logout_redirect_uri"], ["http://testserver/accounts/login/"])
        self.assertIn("id_token_hint", query)
        self.assertLoggedOut()

    def test_password_login_still_works(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": self.student.username, "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("home:home"))

    def test_the_login_page_shows_the_button(self):
        self.assertContains(self.client.get(reverse("accounts:login")), BUTTON)


class WithoutSignOnTestCase(BaseTestCase):
    def test_the_login_page_has_no_button(self):
        self.assertNotContains(self.client.get(reverse("accounts:login")), BUTTON)

    def test_the_sign_on_addresses_do_not_exist(self):
        for url in (CAS_LOGIN, OIDC_LOGIN, reverse("accounts:oidc_callback")):
            self.assertEqual(self.client.get(url).status_code, 404, url)


class SignOnChecksTestCase(SimpleTestCase):
    def test_it_names_what_a_half_configured_provider_lacks(self):
        with override_settings(
            AUTHENTICATION_BACKENDS=[OIDC_BACKEND],
            OIDC_OP_AUTHORIZATION_ENDPOINT="https://id.example.edu.cn/authorize",
            OIDC_RP_CLIENT_ID="shouwang",
        ):
            errors = check_campus_sign_on(None)
        self.assertEqual([error.id for error in errors], ["shouwang.E051"])
        self.assertIn("OIDC_OP_TOKEN_ENDPOINT", errors[0].msg)
        self.assertNotIn("OIDC_RP_CLIENT_ID", errors[0].msg)

    def test_it_refuses_an_unknown_cas_version(self):
        with override_settings(AUTHENTICATION_BACKENDS=[CAS_BACKEND], CAS_VERSION="4"):
            errors = check_campus_sign_on(None)
        self.assertEqual(errors, [Error(errors[0].msg, id="shouwang.E050")])

    def test_it_is_silent_without_a_campus_sign_on(self):
        self.assertEqual(check_campus_sign_on(None), [])

    def test_it_warns_of_a_campus_server_over_plain_http(self):
        with override_settings(
            AUTHENTICATION_BACKENDS=[CAS_BACKEND], CAS_SERVER_URL="http://cas.example.edu.cn/cas/"
        ):
            warnings = check_campus_sign_on_over_https(None)
        self.assertEqual([warning.id for warning in warnings], ["shouwang.W050"])
        with override_settings(
            AUTHENTICATION_BACKENDS=[CAS_BACKEND], CAS_SERVER_URL="https://cas.example.edu.cn/cas/"
        ):
            self.assertEqual(check_campus_sign_on_over_https(None), [])
