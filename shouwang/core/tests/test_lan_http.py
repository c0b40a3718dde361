"""A trial on plain HTTP inside a LAN: one setting, and logging in works."""

import os
import socket
import subprocess
import sys
from http.cookiejar import CookieJar
from typing import cast

import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import TransactionTestCase

from shouwang.core.tests.test_settings import BASE_DIR, PRODUCTION_ENV
from shouwang.core.tests.test_worker import database_env, wait_for
from shouwang.people.models import Person
from shouwang.test import PASSWORD, make_person, make_user

IGNORED = ("DEBUG", "SECRET_KEY", "COUNSELLING_KEY", "LAN_HTTP", "SECURE_SSL_REDIRECT")


class PlainHttpServer:
    """`manage.py run` in production mode, answering plain HTTP on a free port."""

    def __init__(self, **env: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        clean = {k: v for k, v in os.environ.items() if k not in IGNORED}
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=BASE_DIR,
            env={**clean, **PRODUCTION_ENV, "ALLOWED_HOSTS": "127.0.0.1", **database_env(), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.health, timeout=60)

    def health(self) -> bool:
        try:
            return requests.get(f"{self.url}/health/", timeout=5, allow_redirects=False).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)

    def log_in(self) -> tuple[requests.Session, requests.Response]:
        browser = requests.Session()
        form = browser.get(f"{self.url}/accounts/login/", timeout=10)
        # A browser keeps a Secure cookie but never sends it back over http.
        for cookie in list(cast(CookieJar, browser.cookies)):
            if cookie.secure:
                browser.cookies.clear(cookie.domain, cookie.path, cookie.name)
        token = browser.cookies.get("csrftoken", "")
        answer = browser.post(
            f"{self.url}/accounts/login/",
            {"username": "2020001", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": form.url, "Origin": self.url},
            allow_redirects=False,
            timeout=10,
        )
        return browser, answer


class LanHttpTests(TransactionTestCase):
    def setUp(self):
        user = make_user(make_person("2020001", "张三", Person.Kind.STUDENT))
        # The server hashes as production does, not as the test settings do.
        hasher = PBKDF2PasswordHasher()
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])

    def start(self, **env: str) -> PlainHttpServer:
        server = PlainHttpServer(**env)
        self.addCleanup(server.stop)
        return server

    def test_with_lan_http_a_login_over_plain_http_succeeds(self):
        server = self.start(LAN_HTTP="1")
        browser, answer = server.log_in()
        self.assertEqual(answer.status_code, 302, answer.text[:300])
        self.assertEqual(answer.headers["Location"], "/")
        home = browser.get(f"{server.url}/", allow_redirects=False, timeout=10)
        self.assertEqual(home.status_code, 200)
        self.assertNotIn("Strict-Transport-Security", home.headers)

    def test_turning_off_the_redirect_alone_leaves_logins_failing(self):
        server = self.start(SECURE_SSL_REDIRECT="0")
        _browser, answer = server.log_in()
        self.assertEqual(answer.status_code, 403)
