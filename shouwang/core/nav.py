"""The menu: every app registers its pages here, each with who may see it.

An app's `nav.py` calls `register()` with its entries; core imports each app's
`nav` module when Django starts, as the admin finds `admin.py`. An entry's
`visible(user)` is the app's own access rule for the page, so the menu never
offers a page that answers 403 or 404. The base template shows a user their
entries flat when they are few (a student's own pages) and in groups
otherwise.

The menu is drawn on every page: a `visible` check asks only what the user
already knows (roles, person), never the database.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Label = str | Promise


@dataclass(frozen=True, eq=False)
class Group:
    """A menu that opens: its label and its place in the bar."""

    label: Label
    order: int


CHECKINS = Group(pgettext_lazy("menu", "Check-ins"), 10)
CARE = Group(pgettext_lazy("menu", "Care"), 20)
TEACHING = Group(pgettext_lazy("menu", "Teaching"), 25)
CAREERS = Group(pgettext_lazy("menu", "Careers and activities"), 27)
WORK = Group(pgettext_lazy("menu", "Work"), 30)
WEBSITE = Group(pgettext_lazy("menu", "College website"), 40)
ADMINISTRATION = Group(pgettext_lazy("menu", "Administration"), 50)

# Up to this many entries (home included) are shown flat, one tap each: a
# student's or a volunteer's own pages (a volunteer's nine with the
# activities) fit a laptop's bar, and a phone's folded menu.
FLAT_AT_MOST = 9


@dataclass(frozen=True)
class Entry:
    """A page in the menu. `group` None stands alone in the bar (the home page)."""

    group: Group | None
    label: Label
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 0

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.group.order if self.group else 0, self.order)


_entries: list[Entry] = []


def register(*entries: Entry) -> None:
    for entry in entries:
        if any(known.url_name == entry.url_name for known in _entries):
            raise ImproperlyConfigured(f"{entry.url_name} is in the menu twice")
        _entries.append(entry)
    _entries.sort(key=lambda entry: entry.sort_key)


def registered() -> list[Entry]:
    """Every entry, in menu order, whoever may see it."""
    return list(_entries)


@dataclass(frozen=True)
class Link:
    label: Label
    url: str
    # The page shown is this one (`current`) or one under it (`active`).
    current: bool
    active: bool


@dataclass(frozen=True)
class Section:
    """A group of links as drawn; `label` None for links standing alone."""

    label: Label | None
    links: list[Link]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def menu_for(user: Any, path: str) -> list[Section]:
    """What the menu shows `user` on the page at `path`."""
    entries = [entry for entry in _entries if entry.visible(user)]
    urls = [reverse(entry.url_name) for entry in entries]
    under = _entry_under(urls, path)
    links = [
        Link(entry.label, url, current=url == path, active=url == under)
        for entry, url in zip(entries, urls, strict=True)
    ]
    if len(entries) <= FLAT_AT_MOST:
        return [Section(None, links)] if links else []
    return [
        Section(group.label if group else None, [link for _, link in pairs])
        for group, pairs in itertools.groupby(
            zip(entries, links, strict=True), key=lambda pair: pair[0].group
        )
    ]


def _entry_under(urls: list[str], path: str) -> str | None:
    """The address of the entry the page at `path` belongs to: the longest
    entry address it starts with. The home page's address starts every
    path, so it counts for itself only."""
    root = get_script_prefix()
    candidates = [url for url in urls if path == url or (url != root and path.startswith(url))]
    return max(candidates, key=len, default=None)


def everyone(user: Any) -> bool:
    return True


def _staff(user: Any) -> bool:
    return bool(user.is_staff)


# Django's admin site.
register(
    Entry(ADMINISTRATION, _("Administration"), "admin:index", _staff, order=90),
)
