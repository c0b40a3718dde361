"""HTTP helpers for talking to other servers."""

from __future__ import annotations

from typing import Any

import requests

# Seconds to wait for another server, at most.
TIMEOUT = 15


class TimeoutSession(requests.Session):
    """A requests session that gives up after TIMEOUT seconds: libraries that
    call out without a timeout (python-cas) would otherwise hold a web worker
    for as long as a hung server keeps the connection open."""

    def request(  # type: ignore[override]
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, *args, **kwargs)
