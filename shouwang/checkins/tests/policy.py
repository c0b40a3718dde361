from shouwang.policy import Rule, expect

# The check-in views' owners replace these placeholders with the real rules.
RULES = [
    Rule("checkins:today", expect(404, anonymous=404)),
    Rule("checkins:privacy", expect(404, anonymous=404)),
    Rule("checkins:compliance", expect(404, anonymous=404)),
    Rule("checkins:missing", expect(404, anonymous=404)),
    Rule("checkins:missing_export", expect(404, anonymous=404)),
    Rule("checkins:flag_list", expect(404, anonymous=404)),
    Rule("checkins:flag_detail", expect(404, anonymous=404), target="student_a"),
    Rule("checkins:risk_regions", expect(404, anonymous=404)),
    Rule("checkins:timeline", expect(404, anonymous=404), target="student_a"),
]
