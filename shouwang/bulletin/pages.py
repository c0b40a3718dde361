"""The public pages' cache.

A rendered page is stored under the site's `Edition` number, the language and
the page's own key (`article:12`, `section:news:2`). Each request asks the
database for the edition (one primary-key read): every action that changes
what the public sees bumps it in the same transaction, so the next request of
every web worker misses the old pages, whatever cache backend each has. Old
entries are never read again and expire.

A page is kept at most BULLETIN_CACHE_SECONDS, and never past the next
scheduled publication: an article whose time comes appears without anyone
bumping the edition.

The pages are the same for everyone: they show nothing of the user, carry no
CSRF token and take nothing from the query string but the page number.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import translation

from shouwang.lib import clock

from .models import Article, Edition


def cached_page(key: str, render: Callable[[], str]) -> str:
    full_key = f"bulletin:{Edition.current()}:{translation.get_language()}:{key}"
    html = cache.get(full_key)
    if html is None:
        html = render()
        cache.set(full_key, html, _lifetime())
    return html


def _lifetime() -> int:
    now = clock.now()
    seconds = settings.BULLETIN_CACHE_SECONDS
    next_due = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=now
    ).aggregate(at=Min("published_at"))["at"]
    if next_due is not None:
        seconds = min(seconds, max(1, int((next_due - now).total_seconds()) + 1))
    return seconds
