from shouwang.policy import Rule, expect

# The morning page is a counsellor's, of their own classes: 403 to anyone who
# counsels none. "Remind all" redirects back to it (with what it did).
COUNSELLORS = expect(403, counsellor_a=200, counsellor_b=200)

RULES = [
    Rule("home:home", expect(200)),
    Rule("home:morning", COUNSELLORS),
    Rule(
        "home:morning_remind",
        expect(403, counsellor_a=302, counsellor_b=302),
        method="post",
        data={"slot": "reminder:0:2022-04-12:09:30:"},
    ),
]
