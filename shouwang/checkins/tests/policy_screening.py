from shouwang.policy import Rule, expect

# Placeholders until the compliance and screening views land.
RULES = [
    Rule("checkins:compliance", expect(404, anonymous=404)),
    Rule("checkins:missing", expect(404, anonymous=404)),
    Rule("checkins:missing_export", expect(404, anonymous=404)),
    Rule("checkins:flag_list", expect(404, anonymous=404)),
    Rule("checkins:flag_detail", expect(404, anonymous=404), target="student_a"),
    Rule("checkins:risk_regions", expect(404, anonymous=404)),
    Rule("checkins:timeline", expect(404, anonymous=404), target="student_a"),
]
