"""Django's SQLite backend, remembering how it rewrote each statement.

Django writes placeholders as "%s" and Python's sqlite3 wants "?": the stock
backend rewrites every statement with a regular expression each time it runs,
which cost the check-in's POST a ninth of its instructions (docs/performance.md).
The same statements come back request after request.

Reproduces `SQLiteCursorWrapper.convert_query` (the format-style branch) and
`DatabaseWrapper.create_cursor`; core/tests/test_settings.py fails when
Django's change.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[misc]


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
