from shouwang.policy import Rule, expect

RULES = [
    Rule("home:home", expect(200)),
]
