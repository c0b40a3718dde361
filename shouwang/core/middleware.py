"""Middleware of our own."""

from csp import middleware
from django.utils.cache import patch_cache_control


class CSPMiddleware(middleware.CSPMiddleware):
    """django-csp's middleware, leaving redirects without a policy. A browser
    renders nothing of a 3xx response, so a policy on it would govern nothing;
    building it cost every check-in, which the whole college posts and which
    answers with a redirect, about 6 % of its time (docs/performance.md)."""

    def process_response(self, request, response):
        if 300 <= response.status_code < 400:
            return response
        return super().process_response(request, response)


def no_store_for_users(get_response):
    """Tell every cache, the browser's included, to keep nothing a logged-in user
    was sent: pages, exports, attachments and the API all carry personal data,
    and a shared computer's next user must not find them in its history or
    cache. Static files (WhiteNoise answers them before this) and what anonymous
    visitors see (the public site) stay cacheable."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Added to what the view said (a download's never_cache stays whole).
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
