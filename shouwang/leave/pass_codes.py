"""The leave pass's QR code: the absolute address of `leave:scan` with a signed
token (`lib.signed_codes`) good for LEAVE_PASS_MAX_AGE seconds.

The age is short on purpose: the pass page renews its code while it is open,
so the holder always shows a fresh one, and a screenshot sent to someone else
stops opening the gate within minutes.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from shouwang.lib.pdf import qr_svg
from shouwang.lib.signed_codes import CodeError, SignedCode

from .models import LeaveRequest

__all__ = ["PASS", "CodeError", "leave_pk_from", "qr_of", "scan_url", "scanned_pk", "token_for"]

PASS = SignedCode(
    salt="shouwang.leave.pass",
    max_age=lambda: settings.LEAVE_PASS_MAX_AGE,
    expired=gettext_lazy(
        "This pass code has expired. Ask the holder to open the pass in Shouwang and show it again."
    ),
    altered=gettext_lazy(
        "This pass code is not valid: it was not made by this system or it was altered."
    ),
)

# Pixels square of the code on the pass page: large enough for any phone's camera.
QR_SIZE = 260


def token_for(leave: LeaveRequest) -> str:
    return PASS.token(leave.pk)


def leave_pk_from(token: str) -> int:
    """The leave a token names; CodeError if it was altered or is too old."""
    return PASS.pk_from(token)


def scanned_pk(token: str) -> int | None:
    """The leave a genuine token names, however old (None if altered): an
    expired code's scan is recorded against the leave it was made for."""
    try:
        value = signing.loads(token, salt=PASS.salt)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def scan_url(request: HttpRequest, leave: LeaveRequest) -> str:
    return request.build_absolute_uri(reverse("leave:scan", args=[token_for(leave)]))


def qr_of(address: str) -> str:
    """The QR code of `address` as a base64 SVG, for an <img> on the page."""
    return base64.b64encode(qr_svg(address, QR_SIZE)).decode()
