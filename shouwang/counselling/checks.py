from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .crypto import DEVELOPMENT_KEY, invalid_keys

if TYPE_CHECKING:
    from django.apps import AppConfig


@register(Tags.security, deploy=True)
def check_counselling_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    """Production keeps the notes' key outside the database and apart from SECRET_KEY."""
    if settings.DEBUG:
        return []
    if DEVELOPMENT_KEY in settings.COUNSELLING_KEYS:
        return [
            Error(
                "COUNSELLING_KEY holds the public development key: anyone could read "
                "the counselling notes.",
                hint="Generate a key of your own and rotate the notes to it "
                "(manage.py rotate_counselling_key).",
                id="shouwang.E022",
            )
        ]
    if settings.COUNSELLING_KEYS and settings.COUNSELLING_KEYS[0] == _derived_from_secret_key():
        return [
            Error(
                "COUNSELLING_KEY's first key is derived from SECRET_KEY: whoever learns "
                "SECRET_KEY could read the counselling notes.",
                hint="Put a key of your own first, keep this one second, and run "
                "manage.py rotate_counselling_key.",
                id="shouwang.E023",
            )
        ]
    if settings.COUNSELLING_KEYS:
        return []
    return [
        Error(
            "COUNSELLING_KEY is not set: counselling notes would be encrypted with the "
            "public development key.",
            hint='Set COUNSELLING_KEY to the output of python -c "from cryptography.fernet '
            'import Fernet; print(Fernet.generate_key().decode())" and keep it out of '
            "the database and its backups.",
            id="shouwang.E020",
        )
    ]


@register(Tags.security)
def check_counselling_key_format(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    return [
        Error(
            f"COUNSELLING_KEY's key number {position} is not a Fernet key "
            "(urlsafe base64 of 32 bytes).",
            id="shouwang.E021",
        )
        for position in invalid_keys()
    ]


def _derived_from_secret_key() -> str:
    """The key earlier versions derived from SECRET_KEY: recognised, never used."""
    digest = hashlib.sha256(b"shouwang.counselling:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")
