"""Encryption of counselling notes with keys kept outside the database.

`COUNSELLING_KEYS` (the `COUNSELLING_KEY` environment variable) holds one or
more Fernet keys: the first encrypts, every one decrypts, so a new key is put
first and the old one kept until `manage.py rotate_counselling_key` has
re-encrypted every note. A database dump or backup alone reads nothing.

Without a configured key (DEBUG, tests) the public `DEVELOPMENT_KEY` is used;
production refuses to start without an independent key (shouwang.E020,
E022). Nothing is derived from SECRET_KEY: whoever learns one must not
thereby read the notes.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "fernet", "invalid_keys", "rotate"]


# Public, in this file: for the demo and the tests only. It spells
# "shouwang-development-only-key!!!".
DEVELOPMENT_KEY = "c2hvdXdhbmctZGV2ZWxvcG1lbnQtb25seS1rZXkhISE="


def keys() -> tuple[str, ...]:
    return tuple(settings.COUNSELLING_KEYS) or (DEVELOPMENT_KEY,)


def invalid_keys() -> list[int]:
    """The positions (from 1) of configured keys that are not Fernet keys."""
    bad = []
    for position, key in enumerate(settings.COUNSELLING_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError:
            bad.append(position)
    return bad


def fernet() -> MultiFernet:
    return _fernet(keys())


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # Keyed on the keys themselves, so that a changed setting (a test's
    # override_settings) takes effect at once.
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token; InvalidToken if no configured key made it."""
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token: str) -> str:
    """The same text, encrypted with the first key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")
