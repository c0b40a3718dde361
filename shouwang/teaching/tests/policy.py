from shouwang.policy import Rule, expect

RULES = [
    # Everyone has a day of classes, even an empty one.
    Rule("teaching:today", expect(200)),
]
