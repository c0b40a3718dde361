"""Middleware of our own."""

from csp import middleware


class CSPMiddleware(middleware.CSPMiddleware):
    """django-csp's middleware, leaving redirects without a policy. A browser
    renders nothing of a 3xx response, so a policy on it would govern nothing;
    building it cost every check-in, which the whole college posts and which
    answers with a redirect, about 6 % of its time (docs/performance.md)."""

    def process_response(self, request, response):
        if 300 <= response.status_code < 400:
            return response
        return super().process_response(request, response)
