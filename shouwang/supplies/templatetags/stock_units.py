"""Quantities as a person says them, in templates: `{{ quantity|in_units:item }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from shouwang.supplies.models import Item

register = template.Library()


@register.filter
def in_units(quantity: Decimal | None, item: Item) -> str:
    """30箱, 29箱14桶, 1000斤: `Item.say` (prefetch the item's packs)."""
    return item.say(quantity)


@register.filter
def change_in_units(quantity: Decimal, item: Item) -> str:
    """A change of stock with its sign: +30箱, -2箱."""
    said = item.say(quantity)
    return f"+{said}" if quantity > 0 else said
