from shouwang.policy import Rule, expect

# Placeholders until the check-in views land.
RULES = [
    Rule("checkins:today", expect(404, anonymous=404)),
    Rule("checkins:privacy", expect(404, anonymous=404)),
]
