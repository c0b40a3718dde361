from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.policy import MANAGERS_ONLY, Rule, expect


def make_objects(case) -> None:
    case.inbox_messages = {
        persona: Message.objects.create(
            recipient=user.person, kind=ESCALATION, title=f"for {persona}"
        )
        for persona, user in case.users.items()
    }


def own_message(case, persona: str) -> list[int]:
    # An anonymous visitor tries the student's message.
    return [case.inbox_messages.get(persona, case.inbox_messages["student"]).pk]


def students_message(case, persona: str) -> list[int]:
    return [case.inbox_messages["student"].pk]


RULES = [
    Rule("notify:inbox", expect(200)),
    Rule("notify:message_detail", expect(200), target=own_message),
    # Nobody reads another person's inbox through the app, leaders and admins included.
    Rule("notify:message_detail", expect(404, student=200), target=students_message),
    Rule("notify:mark_all_read", expect(302), method="post"),
    # Whom the undelivered messages were for: leaders and admins watch the channels.
    Rule("notify:undelivered", MANAGERS_ONLY),
]
