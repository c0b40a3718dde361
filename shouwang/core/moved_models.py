"""A model that moves to another app keeps its rows (its migrations move the
table), and what points at it by content type, the audit log's entries and the
permissions, must follow: `content_types_move` relabels its content type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import migrations

if TYPE_CHECKING:
    from django.db.migrations.state import StateApps


def content_types_move(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """The migration operation that relabels the content types of `models`
    (lower-case names) from `old_app` to `new_app`, and back when reversed."""

    def forwards(apps: StateApps, schema_editor: object) -> None:
        _relabel(apps, old_app, new_app, models)

    def backwards(apps: StateApps, schema_editor: object) -> None:
        _relabel(apps, new_app, old_app, models)

    return migrations.RunPython(forwards, backwards)


def _relabel(apps: StateApps, old_app: str, new_app: str, models: list[str]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("core", "LogEntry")
    for model in models:
        old = ContentType.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue  # a new database: migrate makes the content types afterwards
        new = ContentType.objects.filter(app_label=new_app, model=model).first()
        if new is None:
            old.app_label = new_app
            old.save(update_fields=["app_label"])
        else:
            # Made by a migrate run in between: the entries follow, the old one goes.
            LogEntry.objects.filter(content_type=old).update(content_type=new)
            old.delete()
