"""Slots where an app adds a piece to another app's page, access check included.

A page names a slot and the object it shows: `{% load extensions %}` and
`{% slot "people.person" person %}`. An app that has something to add there
contributes it in its AppConfig.ready() (its `contributions.py`): a template,
the check `visible(user, obj)`, and a function giving the template's context.
The page knows neither the app nor who may see the piece; the piece carries
the same check as the page it leads to, so a slot never shows what its reader
could not open. A slot shows its visible pieces in the order the apps are
installed; a slot nobody contributes to shows nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Contribution:
    template: str
    visible: Callable[[Any, Any], bool]
    context: Callable[[HttpRequest, Any], dict[str, Any]]


SLOTS: dict[str, list[Contribution]] = defaultdict(list)


def contribute(
    slot: str,
    template: str,
    *,
    visible: Callable[[Any, Any], bool],
    context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None,
) -> None:
    """Add a piece to a slot: `template`, rendered for a reader `visible(user, obj)` allows,
    with `context(request, obj)` (by default the object as `obj`)."""
    SLOTS[slot].append(
        Contribution(template, visible, context or (lambda request, obj: {"obj": obj}))
    )


def render_slot(slot: str, request: HttpRequest, obj: Any) -> SafeString:
    """The slot's pieces that this request's user may see, rendered."""
    pieces = [
        render_to_string(piece.template, piece.context(request, obj), request=request)
        for piece in SLOTS.get(slot, ())
        if piece.visible(request.user, obj)
    ]
    return format_html_join("", "{}", ((piece,) for piece in pieces))
