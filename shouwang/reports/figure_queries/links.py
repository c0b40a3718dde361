"""Where a figure's list is: a URL of the module it counts, with the filters
that list takes. The list itself keeps its module's scope for the reader."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse


def link(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    filters = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(filters)}" if filters else url
