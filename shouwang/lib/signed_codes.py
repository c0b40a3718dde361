"""Printed codes that name one row: the QR on a door label, on an issue slip.

The code holds a token that `django.core.signing` signs with the site's
secret, a salt of the code's own and a timestamp: a token edited by hand
fails its signature, one older than the code's age is expired, and either
is refused with a message, for the person holding the paper, saying which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core import signing
from django.utils.functional import Promise


class CodeError(Exception):
    """A scanned token that is not to be trusted; str() is the message for the user."""


@dataclass(frozen=True)
class SignedCode:
    salt: str
    # Seconds a code stays good, asked when one is read (a setting may say).
    max_age: Callable[[], int]
    expired: str | Promise
    altered: str | Promise

    def token(self, pk: int) -> str:
        return signing.dumps(pk, salt=self.salt, compress=False)

    def pk_from(self, token: str) -> int:
        """The row a token names; CodeError if it was altered or is too old."""
        try:
            value = signing.loads(token, salt=self.salt, max_age=self.max_age())
        except signing.SignatureExpired as error:
            raise CodeError(str(self.expired)) from error
        except signing.BadSignature as error:
            raise CodeError(str(self.altered)) from error
        if not isinstance(value, int):
            raise CodeError(str(self.altered))
        return value
