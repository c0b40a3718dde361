"""Compliance: counsellors see their own classes, leaders and admins everyone,
students and volunteers nothing (403); a class outside the viewer's is 404."""

from shouwang.policy import Rule, expect

VIEWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)

RULES = [
    Rule("compliance:overview", VIEWERS),
    Rule("compliance:missing", VIEWERS),
    # Another counsellor's class is not theirs to list.
    Rule(
        "compliance:missing",
        expect(403, counsellor_a=200, counsellor_b=404, leader=200, admin=200),
        query=lambda case, persona: {"class": case.class_a.pk},
    ),
    Rule("compliance:missing_export", VIEWERS),
]
