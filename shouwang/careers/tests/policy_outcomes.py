"""The stand-in graduate's page: the graduate, their counsellor, leaders and admins."""

from shouwang.policy import Rule, expect

from .objects_fairs import make


def make_objects(case) -> None:
    make(case)


RULES = [
    Rule(
        "careers:graduate_detail",
        expect(404, student=200, counsellor_a=200, leader=200, admin=200),
        target="graduate_a",
    ),
]
