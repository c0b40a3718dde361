"""The campus sign-on's URLs: absent (404) for everyone while no provider is
configured, as in the matrix; test_sso.py covers them configured."""

from shouwang.policy import Rule, expect

ABSENT = expect(404, anonymous=404)

RULES = [
    Rule("accounts:cas_login", ABSENT),
    Rule("accounts:oidc_login", ABSENT),
    Rule("accounts:oidc_callback", ABSENT),
]
