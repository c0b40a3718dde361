"""Supplies: leaders (of the store's or the request's unit), store keepers and
admins run the stores and decide requests; anyone of the roster asks for
supplies and sees their own requests. No shared persona keeps a store: the
store keeper's reach is tested in the app's own tests."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .objects import make


def make_objects(case) -> None:
    make(case)


EVERYONE = expect(200)

RULES = [
    Rule("supplies:index", MANAGERS_ONLY),
    Rule("supplies:request_list", EVERYONE),
]
