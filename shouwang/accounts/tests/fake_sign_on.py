"""Local stand-ins for a campus CAS server and an OpenID Connect provider,
each serving HTTP on 127.0.0.1 in a thread of its own. A test says who signs
in next (`signs_in`); the fake's login page then sends the browser back to the
service with a ticket or code for that campus ID, as the real ones do once a
person has typed their campus password."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class FakeServer:
    """A server whose GET and POST handlers are the subclass's `answer`."""

    def __init__(self) -> None:
        self.next_campus_id = ""
        self.paths: list[str] = []
        # Answers the back-channel (validation, token) with 503, as a server that is down.
        self.down = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.respond(b"")

            def do_POST(self):
                self.respond(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def respond(self, body: bytes) -> None:
                parts = urlsplit(self.path)
                server.paths.append(parts.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                status, headers, content = server.answer(
                    parts.path, query, form, dict(self.headers.items())
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format, *args):
                pass  # keep the test output quiet

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(
        self, path: str, query: dict[str, str], form: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def signs_in(self, campus_id: str) -> None:
        """The next visit to the login page is this campus ID's."""
        self.next_campus_id = campus_id

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def redirect(url: str) -> tuple[int, dict[str, str], bytes]:
    return 302, {"Location": url}, b""


def join(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


CAS_NS = "http://www.yale.edu/tp/cas"
# What a CAS server posts to a service to end the session a ticket opened.
LOGOUT_REQUEST = (
    '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
    'IssueInstant="2022-04-16T09:30:00Z"><saml:NameID>@NOT_USED@</saml:NameID>'
    "<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
)


class FakeCAS(FakeServer):
    """CAS 3.0 under /cas/: login, p3/serviceValidate (single-use service
    tickets bound to their service), logout. With `id_attribute`, the number
    travels in that attribute and the CAS user is a campus login name."""

    def __init__(self, id_attribute: str = "") -> None:
        super().__init__()
        self.id_attribute = id_attribute
        self.tickets: dict[str, tuple[str, str]] = {}
        self.issued: list[str] = []

    @property
    def server_url(self) -> str:
        return f"{self.url}/cas/"

    def answer(self, path, query, form, headers):
        if path == "/cas/login":
            ticket = f"ST-{secrets.token_urlsafe(16)}"
            self.tickets[ticket] = (query["service"], self.next_campus_id)
            self.issued.append(ticket)
            return redirect(join(query["service"], {"ticket": ticket}))
        if path == "/cas/p3/serviceValidate" and self.down:
            return 503, {"Content-Type": "text/html"}, b"<h1>Service Unavailable"
        if path == "/cas/p3/serviceValidate":
            service, campus_id = self.tickets.pop(query.get("ticket", ""), ("", ""))
            if not campus_id or service != query.get("service"):
                body = (
                    f'<cas:serviceResponse xmlns:cas="{CAS_NS}">'
                    '<cas:authenticationFailure code="INVALID_TICKET">'
                    "unknown ticket</cas:authenticationFailure></cas:serviceResponse>"
                )
            else:
                user, attributes = campus_id, ""
                if self.id_attribute:
                    user = f"login-{campus_id}"
                    attributes = (
                        f"<cas:attributes><cas:{self.id_attribute}>{campus_id}"
                        f"</cas:{self.id_attribute}></cas:attributes>"
                    )
                body = (
                    f'<cas:serviceResponse xmlns:cas="{CAS_NS}"><cas:authenticationSuccess>'
                    f"<cas:user>{user}</cas:user>{attributes}"
                    "</cas:authenticationSuccess></cas:serviceResponse>"
                )
            return 200, {"Content-Type": "application/xml"}, body.encode()
        if path == "/cas/logout":
            return 200, {"Content-Type": "text/plain"}, b"logged out"
        return 404, {}, b""


class FakeOIDC(FakeServer):
    """An OpenID Connect provider: authorize (code flow), token (an RS256 ID
    token signed with a key served at jwks), userinfo, logout."""

    client_id = "shouwang"
    client_secret = "fake-secret"  # noqa: S105
    kid = "fake-key-1"

    def __init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.audience = self.client_id
        # Signs the ID tokens: the key served at jwks unless a test forges them.
        self.signing_key = self.key
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}

    def endpoints(self) -> dict[str, str]:
        """The settings that point Shouwang at this provider."""
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
        }

    def answer(self, path, query, form, headers):
        if path == "/authorize":
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"query": query, "sub": self.next_campus_id}
            return redirect(join(query["redirect_uri"], {"code": code, "state": query["state"]}))
        if path == "/token" and self.down:
            return 503, {"Content-Type": "text/html"}, b"<h1>Service Unavailable"
        if path == "/token":
            grant = self.codes.pop(form.get("code", ""), None)
            if (
                grant is None
                or form.get("client_secret") != self.client_secret
                or form.get("redirect_uri") != grant["query"]["redirect_uri"]
            ):
                return self.json(400, {"error": "invalid_grant"})
            now = int(time.time())
            claims = {
                "iss": self.url,
                "aud": self.audience,
                "sub": grant["sub"],
                "iat": now,
                "exp": now + 300,
                "nonce": grant["query"].get("nonce"),
            }
            id_token = jwt.encode(
                claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid}
            )
            access_token = secrets.token_urlsafe(16)
            self.tokens[access_token] = grant["sub"]
            return self.json(
                200, {"access_token": access_token, "id_token": id_token, "token_type": "Bearer"}
            )
        if path == "/userinfo":
            sub = self.tokens.get(headers.get("Authorization", "").removeprefix("Bearer "))
            if sub is None:
                return self.json(401, {"error": "invalid_token"})
            return self.json(200, {"sub": sub, "name": "campus person"})
        if path == "/jwks":
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            return self.json(
                200, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
            )
        if path == "/logout":
            return 200, {"Content-Type": "text/plain"}, b"logged out"
        return 404, {}, b""

    @staticmethod
    def json(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
