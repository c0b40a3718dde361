"""Campus sign-on (统一身份认证): CAS and OpenID Connect backends.

The campus says who someone is; the roster says whether they are ours. The
campus ID is the person's number (学号/工号), which is our username: a known,
active number logs in, and anything else is refused with a page that says why
and whom to ask (`Refusal`). Nobody is ever created from a campus ID: the
roster, not the identity provider, decides who belongs to the college.

A provider is on when its backend is in AUTHENTICATION_BACKENDS, which
settings.py does when its server is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_cas_ng.backends import CASBackend
from django_cas_ng.models import ProxyGrantingTicket, SessionTicket
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from shouwang.lib.text import clean_number

from .backends import PersonModelBackend
from .models import User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

log = logging.getLogger(__name__)

CAS_BACKEND = "shouwang.accounts.sso.CampusCASBackend"
OIDC_BACKEND = "shouwang.accounts.sso.CampusOIDCBackend"
SIGN_ON_BACKENDS = frozenset({CAS_BACKEND, OIDC_BACKEND})

# Where a backend leaves the reason it refused someone, for the view to show.
REFUSAL_ATTRIBUTE = "campus_sign_on_refusal"


def cas_enabled() -> bool:
    return CAS_BACKEND in settings.AUTHENTICATION_BACKENDS


def oidc_enabled() -> bool:
    return OIDC_BACKEND in settings.AUTHENTICATION_BACKENDS


def signed_on_by_campus(request: HttpRequest) -> bool:
    """Whether this session was opened by the campus sign-on, not a password."""
    return request.session.get(BACKEND_SESSION_KEY) in SIGN_ON_BACKENDS


def is_sign_on_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes counts password guesses, and a
    sign-on carries no password to guess, only a ticket or code the campus
    server issued. Counted, its failures would have no number (axes keys on
    the username field), so five unknown IDs behind one dormitory's NAT
    address would lock the campus sign-on for the whole dormitory."""
    return credentials is not None and ("ticket" in credentials or "code_verifier" in credentials)


def forget_ended_cas_sessions() -> int:
    """Delete the tickets django-cas-ng keeps per CAS session, for the CAS
    server's single logout, once their session has ended: it deletes them only
    when someone logs out, and most sessions simply expire."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    tickets, _ = SessionTicket.objects.exclude(session_key__in=live).delete()
    granting, _ = ProxyGrantingTicket.objects.exclude(session_key__in=live).delete()
    return tickets + granting


@dataclass(frozen=True)
class Refusal:
    UNKNOWN = "unknown"
    INACTIVE = "inactive"

    reason: str
    campus_id: str


def refuse(request: HttpRequest | None, reason: str, campus_id: str) -> None:
    log.warning("campus sign-on refused %s: %s", campus_id, reason)
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, Refusal(reason, campus_id))


def refusal_of(request: HttpRequest) -> Refusal | None:
    return getattr(request, REFUSAL_ATTRIBUTE, None)


def explain_refusal(request: HttpRequest | None, campus_id: str) -> None:
    """Say why a campus ID that the backend did not let in was refused."""
    user = User.objects.filter(username=campus_id).only("is_active").first()
    refuse(request, Refusal.UNKNOWN if user is None else Refusal.INACTIVE, campus_id)


class CampusCASBackend(CASBackend, PersonModelBackend):
    """django-cas-ng's backend, never creating a user (CAS_CREATE_USER is
    False). Each request's user is loaded with their person, in one query,
    as for a password login (PersonModelBackend)."""

    campus_id = ""

    def clean_username(self, username: str) -> str:
        # Numbers from some campus directories carry full-width digits or spaces.
        self.campus_id = clean_number(super().clean_username(username))
        return self.campus_id

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest, ticket: str, service: str
    ) -> AbstractBaseUser | None:  # type: ignore[override]
        try:
            user = super().authenticate(request, ticket=ticket, service=service)
        except (requests.RequestException, ElementTree.ParseError):
            # A CAS server that is down or answers garbage: the failure page, not a 500.
            log.exception("the CAS server did not validate a ticket")
            return None
        if user is None and self.campus_id:
            explain_refusal(request, self.campus_id)
        return user


class CampusOIDCBackend(OIDCAuthenticationBackend, PersonModelBackend):
    """mozilla-django-oidc's backend, finding the user whose number is the
    OIDC_ID_CLAIM of the provider's user info, and never creating one."""

    campus_id = ""
    get_user = PersonModelBackend.get_user

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest, nonce: str | None, code_verifier: str | None
    ) -> User | None:  # type: ignore[override]
        # Named arguments, unlike the library's **kwargs: Django then asks this
        # backend only about the callback's code, never about a password login.
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except requests.RequestException:
            log.exception("the OpenID Connect provider did not answer")
            return None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # The library's default asks for an e-mail claim; we need the number only.
        return bool(claims.get(settings.OIDC_ID_CLAIM))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        self.campus_id = clean_number(claims.get(settings.OIDC_ID_CLAIM, ""))
        return User.objects.filter(username=self.campus_id)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        # OpenID Connect Core 3.1.3.7, which the library leaves out: an ID
        # token for another of the campus's applications is not ours to accept.
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("the ID token is for another client")
        user_info = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: user info about anyone but the ID token's
        # subject must not be used.
        if user_info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("user info is about another subject than the ID token")
        if not self.verify_claims(user_info):
            raise SuspiciousOperation(f"user info lacks {settings.OIDC_ID_CLAIM}")
        user = self.filter_users_by_claims(user_info).first()
        if user is None or not self.user_can_authenticate(user):
            refuse(
                self.request,
                Refusal.UNKNOWN if user is None else Refusal.INACTIVE,
                self.campus_id,
            )
            return None
        return user
