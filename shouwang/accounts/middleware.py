from collections.abc import Callable

from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .sso import signed_on_by_campus

# Paths a user with an initial password may still reach.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")


def password_change_required(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Send a user with an initial password to the change form before anything else."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # The user itself from here on, not AuthenticationMiddleware's lazy
        # stand-in: session_limits looks for what the page cached on the user
        # (its roles), and each read through the stand-in costs an exception.
        user = request.user = get_user(request)
        if (
            user.is_authenticated
            and user.must_change_password
            # Signed on by the campus, they have no password here to change.
            and not signed_on_by_campus(request)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        return get_response(request)

    return middleware
