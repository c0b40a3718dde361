"""A measure's history in words: each audit entry's data (what the action
recorded: `changes` {field: [old, new]}, a milestone, an amount, a score …)
as lines a reader understands."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Measure, Status

# What each key of an entry's data is called on the page.
LABELS = {
    "milestone": gettext_lazy("milestone"),
    "due_on": gettext_lazy("due on"),
    "done_on": gettext_lazy("done on"),
    "amount": gettext_lazy("amount (yuan)"),
    "spent_on": gettext_lazy("date"),
    "purpose": gettext_lazy("purpose"),
    "note": gettext_lazy("note"),
    "comment": gettext_lazy("comment"),
    "score": gettext_lazy("score"),
    "breakthrough": gettext_lazy("breakthrough"),
    "files": gettext_lazy("files"),
    "meeting": gettext_lazy("meeting"),
    "decision": gettext_lazy("decision"),
    "late": gettext_lazy("late"),
}
# Keys that say nothing a reader needs (ids, flags the kind already says).
SKIPPED = {"created", "decision_id"}


def _field_label(name: str) -> str:
    try:
        field = Measure._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _status(value: Any) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


def _value(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "—"
    return str(value)


def history_lines(data: dict[str, Any]) -> list[str]:
    """The lines that say what an entry changed."""
    lines: list[str] = []
    if not isinstance(data, dict):
        return lines
    for name, (old, new) in (data.get("changes") or {}).items():
        lines.append(f"{_field_label(name)}: {_value(old)} → {_value(new)}")
    if "old" in data and "new" in data:
        lines.append(f"{_('status')}: {_status(data['old'])} → {_status(data['new'])}")
    if "accepted" in data:
        lines.append(_("accepted") if data["accepted"] else _("returned to the owner"))
    for key, value in data.items():
        if key in {"changes", "old", "new", "accepted"} | SKIPPED:
            continue
        if key == "decision" and not isinstance(value, str):
            continue
        if value is None or value == "" or value == []:
            continue
        label = LABELS.get(key, key)
        lines.append(f"{label}: {_value(value)}")
    return lines
