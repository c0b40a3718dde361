"""The cockpit and each module's overview: leaders and admins only; an
unknown module is not found."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

RULES = [
    Rule("reports:cockpit", MANAGERS_ONLY),
    Rule("reports:cockpit", MANAGERS_ONLY, query={"date": "2022-04-16"}),
    Rule("reports:module", MANAGERS_ONLY, target=lambda case, persona: ["checkins"]),
    Rule("reports:module", MANAGERS_ONLY, target=lambda case, persona: ["volunteers"]),
    Rule(
        "reports:module",
        expect(403, leader=404, admin=404),
        target=lambda case, persona: ["nothing"],
    ),
]
