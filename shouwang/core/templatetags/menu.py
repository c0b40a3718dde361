from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from shouwang.core.nav import menu_for

if TYPE_CHECKING:
    from django.template import Context

register = template.Library()


@register.inclusion_tag("core/menu.html", takes_context=True)
def menu(context: Context) -> dict:
    """The menu for the request's user on the request's page (core/nav.py),
    drawn in its own context: the page's variables are not its to overwrite."""
    request = context.get("request")
    return {"sections": menu_for(request.user, request.path) if request else []}
