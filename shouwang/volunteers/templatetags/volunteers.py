from django import template

register = template.Library()


@register.filter
def get_item(table: dict, key):
    return table.get(key)
