from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def site(request: HttpRequest) -> dict[str, StrOrPromise]:
    return {"site_title": settings.SITE_NAME}
