"""Middleware of our own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def no_store_for_users(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Tell every cache, the browser's included, to keep nothing a logged-in user
    was sent: pages, exports, attachments and the API all carry personal data,
    and a shared computer's next user must not find them in its history or
    cache. Static files (WhiteNoise answers them before this) and what anonymous
    visitors see (the public site) stay cacheable."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Added to what the view said (a download's never_cache stays whole).
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
