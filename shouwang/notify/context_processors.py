from functools import cache

from shouwang.accounts.http import AuthedRequest

from .access import unread_count


def inbox(request: AuthedRequest):
    """`unread_message_count` for the navbar. Counted only when a template
    uses it, and once per request however often it is used."""
    return {"unread_message_count": cache(lambda: unread_count(request.user))}
