"""The access policy's vocabulary, shared by every app's `tests/policy.py`.

Each app lists its URLs in `shouwang/<app>/tests/policy.py` (or several
`policy_*.py`) as `RULES`: the
status each persona must get, on their own and on others' objects. The matrix
in `core/tests/test_access_matrix.py` walks every URL in the resolver and fails
on one no app lists. An app whose URLs name objects the shared personas do not
have defines `make_objects(case)`, run once with the matrix's test data, which
sets them as attributes of the test case class.

404 means "outside your scope" (the object is not revealed to exist); 403 means
"you may see this page's subject but not do this"; 302 from an anonymous
request is the login redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "anonymous",
    "student",
    "counsellor_a",
    "counsellor_b",
    "volunteer",
    "leader",
    "admin",
    "teacher",
    "supervisor",
)
LOGGED_IN = PERSONAS[1:]


def expect(default: int | None = None, **statuses: int) -> dict[str, int]:
    """Statuses per persona; `default` fills every logged-in persona not named."""
    table = {"anonymous": 302}
    if default is not None:
        table.update(dict.fromkeys(LOGGED_IN, default))
    table.update(statuses)
    missing = set(PERSONAS) - table.keys()
    if missing:
        raise ValueError(f"policy row lacks {missing}")
    return table


MANAGERS_ONLY = expect(403, leader=200, admin=200)


@dataclass
class Rule:
    name: str
    expected: dict[str, int]
    method: str = "get"
    # What the URL's arguments name: None (no arguments); "self" (the
    # persona's own person); the name of an attribute of the test case (a
    # persona's person such as "student_a", or an object from make_objects);
    # or a function (case, persona) -> list of URL arguments.
    target: str | Callable[[Any, str], list[Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Query string for GET requests (data is the POST body), or a function
    # (case, persona) -> query for ids known only once the test data exists.
    query: dict[str, Any] | Callable[[Any, str], dict[str, Any]] = field(default_factory=dict)
