"""The year-end review: the plan's leaders run it, its panel (the supervisor
persona) scores in it; nobody else finds it."""

from shouwang.policy import Rule, expect

from .objects import make as make_objects  # noqa: F401  (the matrix calls it)

REVIEW = expect(404, leader=200, admin=200, supervisor=200)

RULES = [
    Rule("workplan:review_detail", REVIEW, target="work_review"),
]
