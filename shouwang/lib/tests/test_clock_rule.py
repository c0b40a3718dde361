"""One rule for the time (CONTRIBUTING.md, "Time"): whatever happens in the
college is stamped and compared by `shouwang.lib.clock`, whose demo runs in
April 2022; the wall clock (`timezone.now()`, and `auto_now`, which is it) is
for the timers below only, which must follow real time whatever the demo shows.
A new exception goes here, with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOTS = ("shouwang", "tests")

# "path" allows a whole file, "path::function" one function (or class).
WALL_CLOCK = {
    "shouwang/lib/clock.py": "the app's clock is the wall clock plus the demo's offset",
    # Sessions and sign-in: their limits run in real time, as the browser's cookies do.
    "shouwang/accounts/sessions.py": "session lifetimes and idle limits",
    "shouwang/accounts/sso.py::forget_ended_cas_sessions": "compared with Django's session expiry",
    "shouwang/accounts/tests/test_sso.py": "Django's session expiry",
    "shouwang/accounts/tests/test_login.py": "Django's session expiry",
    "shouwang/accounts/tests/test_sessions_cleared.py": "Django's session expiry",
    "shouwang/accounts/tests/test_session_limits.py": "session limits",
    "shouwang/accounts/tests/test_fast_paths.py": "Django's session expiry",
    "shouwang/core/db.py::unexpired_session_data": "Django's session expiry",
    "shouwang/core/db.py::_unexpired_session_data_orm": "Django's session expiry",
    "shouwang/core/tests/test_db.py": "Django's session expiry",
    # Initial passwords: the expiry printed on a slip is read by a person in real time.
    "shouwang/accounts/models.py::initial_password_expiry": "an initial password's expiry",
    "shouwang/accounts/models.py::User": "whether an initial password has expired",
    "shouwang/accounts/models.py::PasswordIssue": "an issue's files expire in real hours",
    "shouwang/accounts/actions.py::people_in_scope": "whose initial password has expired",
    "shouwang/accounts/views.py::_download": "an issue's files, deleted once downloaded",
    "shouwang/accounts/tasks.py": "an issue's files and their deletion",
    "shouwang/accounts/management/commands/issue_passwords.py": "an issue's files",
    "shouwang/accounts/tests/test_issue_passwords.py": "initial passwords and their files",
    # A roster's file holds everyone's personal data: it is kept so many real days.
    "shouwang/core/importing.py::ImportRecord": "an uploaded file's retention",
    "shouwang/people/tests/test_roster_views.py": "an uploaded roster's times and its jobs",
    "shouwang/people/actions.py::commit_roster": "an uploaded roster's times",
    "shouwang/people/tasks.py": "an uploaded roster's file retention",
    "shouwang/teaching/imports.py::_committed": "an uploaded file's times, beside its created_at",
    "shouwang/people/tests/test_prune_roster_files.py": "an uploaded roster's file retention",
    # The scheduler's and the task queue's bookkeeping, compared with django-tasks' stamps.
    "shouwang/core/models.py::ScheduledRun": "when a claimed slot was enqueued",
    "shouwang/core/tasks.py::prune_task_history": "django-tasks stamps results by the wall clock",
    "shouwang/core/tests/test_tasks.py": "django-tasks' results",
    # A worker proves it is alive in real time, whatever the demo's clock shows.
    "shouwang/core/models.py::BackgroundJob": "a job's lease and heartbeat",
    "shouwang/core/jobs.py::start_job": "a job's lease and heartbeat",
    "shouwang/core/tests/test_jobs.py": "a job's lease and heartbeat",
    "shouwang/core/jobs.py::recover_abandoned": "a job's lease and heartbeat",
    "shouwang/core/tests/test_worker_crash.py": "a job's lease and heartbeat",
    "shouwang/notices/tests/test_notices.py::PublishingTests": "a sending job's lease",
    # Backups are files on disk, aged by their modification times.
    "shouwang/core/backup.py::_stale_partials": "an unfinished backup folder's age",
}


def wall_clock_reads(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, enclosing top-level definition, code) of each read of the wall clock."""
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, owner: str) -> None:
        if owner == "" and isinstance(node, ast.FunctionDef | ast.ClassDef):
            owner = node.name
        what = _reads_wall_clock(node)
        if what:
            found.append((getattr(node, "lineno", 0), owner, what))
        for child in ast.iter_child_nodes(node):
            visit(child, owner)

    visit(tree, "")
    return found


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


WALL_CLOCK_NAMES = (
    "datetime.now",
    "dt.datetime.now",
    "datetime.datetime.now",
    "date.today",
    "dt.date.today",
    "datetime.date.today",
)


def _reads_wall_clock(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        name = _dotted(node)
        if name.endswith("timezone.now") or name in WALL_CLOCK_NAMES:
            return name
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        name = _dotted(node.func)
        # Without a moment, they read the wall clock's.
        if name.endswith(("timezone.localtime", "timezone.localdate")):
            return f"{name}()"
    return _stamps_or_imports_wall_clock(node)


def _stamps_or_imports_wall_clock(node: ast.AST) -> str:
    if isinstance(node, ast.keyword) and node.arg in ("auto_now", "auto_now_add"):
        if isinstance(node.value, ast.Constant) and node.value.value is True:
            return f"{node.arg}=True"
    if isinstance(node, ast.ImportFrom) and node.module == "django.utils.timezone":
        names = {alias.name for alias in node.names} & {"now", "localtime", "localdate"}
        if names:
            return f"from django.utils.timezone import {', '.join(sorted(names))}"
    return ""


class ClockRuleTestCase(SimpleTestCase):
    def test_only_the_listed_timers_read_the_wall_clock(self):
        base = Path(settings.BASE_DIR)
        offending, used = [], set()
        for root in ROOTS:
            for path in sorted((base / root).rglob("*.py")):
                relative = path.relative_to(base).as_posix()
                if "/migrations/" in relative:
                    continue
                for line, owner, what in wall_clock_reads(ast.parse(path.read_text("utf-8"))):
                    keys = {relative, f"{relative}::{owner}"} & WALL_CLOCK.keys()
                    used |= keys
                    if not keys:
                        offending.append(f"{relative}:{line} ({owner or 'module'}): {what}")
        self.assertEqual(offending, [], "use shouwang.lib.clock (CONTRIBUTING.md, Time)")
        self.assertEqual(sorted(WALL_CLOCK.keys() - used), [], "no longer needed: remove")

    def test_it_finds_each_way_to_read_the_wall_clock(self):
        source = """
from django.utils.timezone import now
def f():
    timezone.now()
    dt.datetime.now(dt.timezone.utc)
    timezone.localdate()
    timezone.localdate(moment)
class M:
    at = models.DateTimeField(auto_now_add=True)
    default = models.DateTimeField(default=timezone.now)
"""
        reads = [(line, owner, what) for line, owner, what in wall_clock_reads(ast.parse(source))]
        self.assertEqual(
            reads,
            [
                (2, "", "from django.utils.timezone import now"),
                (4, "f", "timezone.now"),
                (5, "f", "dt.datetime.now"),
                (6, "f", "timezone.localdate()"),
                (9, "M", "auto_now_add=True"),
                (10, "M", "timezone.now"),
            ],
        )
