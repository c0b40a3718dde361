from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .sso import cas_enabled, oidc_enabled

if TYPE_CHECKING:
    from django.apps import AppConfig

CAS_VERSIONS = ("1", "2", "3", "CAS_2_SAML_1_0")


@register(Tags.security)
def check_campus_sign_on(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    """A half-configured campus sign-on fails at the first login; say so at start."""
    errors = []
    if cas_enabled() and str(settings.CAS_VERSION) not in CAS_VERSIONS:
        errors.append(
            Error(
                f"CAS_VERSION={settings.CAS_VERSION!r} is not one of {', '.join(CAS_VERSIONS)}.",
                id="shouwang.E050",
            )
        )
    if oidc_enabled():
        needed = [
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
        ]
        if settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            needed.append("OIDC_OP_JWKS_ENDPOINT")
        missing = [name for name in needed if not getattr(settings, name)]
        if missing:
            errors.append(
                Error(
                    f"OIDC_OP_AUTHORIZATION_ENDPOINT is set, so OpenID Connect also needs "
                    f"{', '.join(missing)}.",
                    id="shouwang.E051",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_campus_sign_on_over_https(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    """Whoever can change the campus server's answer on its way decides who
    logs in: in production it is reached over HTTPS only."""
    addresses = []
    if cas_enabled():
        addresses.append(("CAS_SERVER_URL", settings.CAS_SERVER_URL))
    if oidc_enabled():
        addresses += [
            (name, getattr(settings, name) or "")
            for name in (
                "OIDC_OP_AUTHORIZATION_ENDPOINT",
                "OIDC_OP_TOKEN_ENDPOINT",
                "OIDC_OP_USER_ENDPOINT",
                "OIDC_OP_JWKS_ENDPOINT",
            )
        ]
    plain = [name for name, url in addresses if url and not url.startswith("https://")]
    if not plain:
        return []
    return [
        Warning(
            f"{', '.join(plain)} should be an https:// address: over plain HTTP, anyone "
            "on the way can answer for the campus server and log in as anyone.",
            id="shouwang.W050",
        )
    ]


INITIAL_HASHER = "shouwang.accounts.hashers.InitialPasswordHasher"


@register(Tags.security)
def check_initial_passwords(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    errors = []
    hashers = list(settings.PASSWORD_HASHERS)
    if INITIAL_HASHER not in hashers:
        errors.append(
            Error(
                f"PASSWORD_HASHERS lacks {INITIAL_HASHER}: issued initial passwords would not "
                "log in.",
                id="shouwang.E030",
            )
        )
    elif hashers[0] == INITIAL_HASHER:
        errors.append(
            Error(
                f"{INITIAL_HASHER} must not be the first of PASSWORD_HASHERS: the passwords "
                "people choose would be hashed with its low cost.",
                id="shouwang.E031",
            )
        )
    issued = Path(settings.ISSUED_FILES_DIR).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = Path(getattr(settings, name)).resolve()
        if issued == root or root in issued.parents:
            errors.append(
                Error(
                    f"ISSUED_FILES_DIR ({issued}) lies under {name}: issued passwords' files "
                    "must stay out of served folders and their backups.",
                    id="shouwang.E032",
                )
            )
    return errors
