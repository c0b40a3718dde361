"""The JSON API: everything asks for a login (401 from an endpoint, the login
redirect from the schema and docs pages, which are pages); compliance is for
counsellors, leaders and admins, as its page is.

The matrix posts form data, not JSON: a logged-in POST to the check-in endpoint
gets 422 from the body's parsing, before any check-in is written, whatever the
persona. tests/test_submit.py submits JSON as each kind of user.
"""

from shouwang.policy import Rule, expect

VIEWERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200, anonymous=401)

RULES = [
    Rule("api:openapi-json", expect(200)),
    Rule("api:openapi-view", expect(200)),
    # ninja's root: only there to anchor the other URLs.
    Rule("api:api-root", expect(404, anonymous=404)),
    Rule("api:checkin_me", expect(200, anonymous=401)),
    Rule(
        "api:checkin_submit",
        expect(422, anonymous=401),
        method="post",
        data={"location": "campus"},
    ),
    Rule("api:compliance", VIEWERS),
    # A day not yet come is bad input, for those who may ask at all.
    Rule(
        "api:compliance",
        expect(403, counsellor_a=422, counsellor_b=422, leader=422, admin=422, anonymous=401),
        query={"date": "2999-01-01"},
    ),
    # An incident that does not exist (or is not theirs to see) is 404.
    Rule(
        "api:compliance",
        expect(403, counsellor_a=404, counsellor_b=404, leader=404, admin=404, anonymous=401),
        query={"incident": "0"},
    ),
]
