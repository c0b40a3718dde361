from shouwang.helpdesk.actions import submit
from shouwang.helpdesk.models import HelpRequest


def make_request(
    user, category=HelpRequest.Category.STUDY, urgency="normal", text="笔记本电脑坏了，上不了网课"
):
    """A request submitted by `user`'s person, routed as the app routes it."""
    return submit(
        requester=user.person,
        category=category,
        urgency=urgency,
        description=text,
        acting_user=user,
    )
