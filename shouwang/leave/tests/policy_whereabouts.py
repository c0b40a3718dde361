"""Leave counts: those who follow leave (counsellors over their classes,
leaders over their units, admins over all); nobody else."""

from shouwang.policy import Rule, expect

from .objects import make

FOLLOWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)


def make_objects(case) -> None:
    make(case)


RULES = [
    Rule("leave:counts", FOLLOWERS),
    Rule("leave:counts", FOLLOWERS, query={"first": "2024-04-15", "last": "2024-04-19"}),
]
