from html.parser import HTMLParser
from unittest import skipUnless

from django.conf import settings
from django.test import Client
from django.urls import reverse

from shouwang.test import BaseTestCase

LOGIN = reverse("accounts:login")


class Assets(HTMLParser):
    """The URLs a page loads, and the text of each script without a src."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[tuple[str, str]] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self._script_type = attrs.get("type") or "text/javascript"

    def handle_data(self, data):
        if self._script_type is not None and data.strip():
            self.inline_scripts.append((self._script_type, data.strip()))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None


class SchemaTestCase(BaseTestCase):
    def schema(self) -> dict:
        self.login(self.student)
        response = self.client.get(reverse("api:openapi-json"))
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_the_schema_describes_the_api(self):
        schema = self.schema()
        self.assertEqual(schema["info"]["title"], "Shouwang API")
        self.assertEqual(schema["info"]["version"], "1")
        self.assertEqual(
            {(path, method) for path, item in schema["paths"].items() for method in item},
            {
                ("/api/checkins/today", "post"),
                ("/api/checkins/me", "get"),
                ("/api/compliance", "get"),
            },
        )
        body = schema["components"]["schemas"]["CheckInIn"]
        self.assertEqual(
            set(body["required"]),
            {"key", "location", "symptoms", "contact_with_case", "stayed_in_risk_area"},
        )
        self.assertEqual(body["properties"]["location"]["enum"], ["campus", "home", "elsewhere"])
        parameters = schema["paths"]["/api/compliance"]["get"]["parameters"]
        self.assertEqual([p["name"] for p in parameters], ["date", "incident"])

    def test_the_schema_asks_for_the_place_away_from_campus(self):
        body = self.schema()["components"]["schemas"]["CheckInIn"]
        self.assertEqual(
            (body["if"]["properties"]["location"]["enum"], body["then"]["required"]),
            (["home", "elsewhere"], ["province", "city"]),
        )

    def test_the_schema_gives_the_errors_the_endpoints_answer(self):
        paths = self.schema()["paths"]
        submit = paths["/api/checkins/today"]["post"]["responses"]
        # A body that cannot be read (a multipart body without its boundary) is 400.
        self.assertEqual(set(submit), {"200", "201", "400", "401", "403", "422"})
        compliance = paths["/api/compliance"]["get"]
        self.assertIn("not yet come", compliance["responses"]["422"]["description"])
        date = next(p for p in compliance["parameters"] if p["name"] == "date")
        self.assertIn("not after today", date["description"])
        self.assertIn("an empty value is 422", date["description"])

    def test_every_endpoint_asks_for_the_session(self):
        for path, item in self.schema()["paths"].items():
            for method, operation in item.items():
                with self.subTest(path=path, method=method):
                    self.assertEqual(operation["security"], [{"SessionAuth": []}])
                    self.assertEqual(operation["responses"]["401"]["description"], "Unauthorized")

    def test_every_endpoint_refuses_anonymous_requests(self):
        # Walks the schema, so that an endpoint added later is held to it too.
        paths = self.schema()["paths"]
        anonymous = Client()
        for path, item in paths.items():
            for method in item:
                with self.subTest(path=path, method=method):
                    response = getattr(anonymous, method)(path, {}, content_type="application/json")
                    self.assertEqual(response.status_code, 401)
                    self.assertEqual(response.json()["code"], "not_authenticated")

    def test_the_schema_and_docs_send_anonymous_visitors_to_log_in(self):
        for name in ("api:openapi-json", "api:openapi-view"):
            with self.subTest(name=name):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(LOGIN))

    def test_errors_have_one_shape(self):
        error = self.schema()["components"]["schemas"]["ErrorOut"]
        self.assertEqual(set(error["properties"]), {"detail", "code", "errors"})


# ninja serves Swagger UI from its own static files only when it is an
# installed app; otherwise it renders a page that loads Swagger UI from a CDN,
# which the CSP blocks. The first test says so; the others need it.
NINJA_INSTALLED = "ninja" in settings.INSTALLED_APPS
needs_ninja = skipUnless(NINJA_INSTALLED, "needs 'ninja' in INSTALLED_APPS")


class DocsTestCase(BaseTestCase):
    """Swagger UI under the site's CSP: every script and style from this site,
    no inline script to be blocked. (A browser run showed it working, with no
    violation reported, when 'ninja' is installed.)"""

    def docs(self):
        self.login(self.student)
        response = self.client.get(reverse("api:openapi-view"))
        self.assertEqual(response.status_code, 200)
        return response

    def test_ninja_is_installed_so_the_docs_come_from_this_site(self):
        self.assertTrue(NINJA_INSTALLED, "add 'ninja' to INSTALLED_APPS in shouwang/settings.py")

    @needs_ninja
    def test_the_docs_load_nothing_from_another_host(self):
        page = Assets()
        page.feed(self.docs().content.decode())
        self.assertTrue(page.urls)
        for url in page.urls:
            self.assertTrue(url.startswith(settings.STATIC_URL), url)

    @needs_ninja
    def test_the_docs_run_no_inline_script(self):
        response = self.docs()
        page = Assets()
        page.feed(response.content.decode())
        # Swagger's settings ride in a JSON data block, which a CSP does not block.
        self.assertEqual([kind for kind, _text in page.inline_scripts], ["application/json"])
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])

    @needs_ninja
    def test_the_docs_assets_are_served_by_the_site(self):
        page = Assets()
        page.feed(self.docs().content.decode())
        for url in page.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    @needs_ninja
    def test_the_docs_hand_swagger_the_csrf_token_and_no_validator(self):
        html = self.docs().content.decode()
        self.assertIn('data-api-csrf="true"', html)
        self.assertIn('"validatorUrl": null', html)
