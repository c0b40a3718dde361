from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(table: dict, key: Any) -> Any:
    return table.get(key)
