"""The request a login-required view receives: its user is one of ours, signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shouwang.core.http import HtmxRequest

if TYPE_CHECKING:
    from .models import User

    class AuthedRequest(HtmxRequest):
        user: User

else:
    AuthedRequest = HtmxRequest
