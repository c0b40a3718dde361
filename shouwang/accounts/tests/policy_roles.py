"""The roles page: admins only; everyone else may not grant or remove roles (403)."""

from shouwang.policy import Rule, expect

ADMINS = expect(403, admin=200)

RULES = [
    Rule("accounts:role_list", ADMINS),
    # The volunteer's login is granted the leader role, and the leader's removed.
    Rule(
        "accounts:role_grant",
        expect(403, admin=302),
        method="post",
        data={"number": "2021002", "role": "leader"},
    ),
    # An empty form comes back with its errors.
    Rule("accounts:role_grant", ADMINS, method="post", data={}),
    Rule(
        "accounts:role_revoke",
        expect(403, admin=302),
        method="post",
        data={"user": "", "role": "leader"},
    ),
]
