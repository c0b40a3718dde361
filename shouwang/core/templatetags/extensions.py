from typing import Any

from django import template
from django.utils.safestring import SafeString

from shouwang.core.extensions import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: template.Context, name: str, obj: Any) -> SafeString:
    """The pieces other apps add to this page here (see shouwang.core.extensions)."""
    return render_slot(name, context["request"], obj)
