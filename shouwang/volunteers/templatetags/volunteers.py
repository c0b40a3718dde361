from django import template

from shouwang.volunteers.queries import record_of

register = template.Library()


@register.filter
def get_item(table: dict, key):
    return table.get(key)


@register.inclusion_tag("volunteers/record.html")
def volunteer_record(person):
    """A person's teams (their posts) and the hours they served, for their page."""
    return {"record": record_of(person)}
