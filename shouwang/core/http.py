"""The request every view receives: HtmxMiddleware has told it whether htmx sent it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    class HtmxRequest(HttpRequest):
        htmx: HtmxDetails

else:
    HtmxRequest = HttpRequest
