from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from .access import unread_count


def inbox(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """`unread_message_count` for the navbar. Counted only when a template
    uses it, and once per request however often it is used."""
    return {"unread_message_count": cache(lambda: unread_count(request.user))}
