"""The request a login-required view receives: its user is one of ours, signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User

    class AuthedRequest(HttpRequest):
        user: User

else:
    AuthedRequest = HttpRequest
