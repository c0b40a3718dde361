from shouwang.policy import Rule, expect

RULES = [
    Rule("core:health", expect(200, anonymous=200)),
    Rule("accounts:login", expect(302, anonymous=200)),
    Rule("accounts:logout", expect(302), method="post"),
    Rule("accounts:password_change", expect(200)),
    Rule("set_language", expect(302, anonymous=302), method="post", data={"language": "en"}),
]
