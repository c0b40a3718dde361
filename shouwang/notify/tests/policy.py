from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message, MessageDelivery
from shouwang.people.models import Person, Unit
from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.test import make_person


def make_objects(case) -> None:
    case.inbox_messages = {
        persona: Message.objects.create(
            recipient=user.person, kind=ESCALATION, title=f"for {persona}"
        )
        for persona, user in case.users.items()
    }
    # Deliveries whose sender died: to the college's student, and to someone
    # of a unit the college's leader does not oversee.
    elsewhere = Unit.objects.create(name="外校", kind=Unit.Kind.COLLEGE)
    outsider = make_person("9900001", "外校生", Person.Kind.STUDENT, unit=elsewhere)
    case.unknown_delivery = unknown_delivery(case.student_a)
    case.outsiders_unknown_delivery = unknown_delivery(outsider)


def unknown_delivery(person: Person) -> MessageDelivery:
    message = Message.objects.create(recipient=person, kind=ESCALATION, title="lost")
    return MessageDelivery.objects.create(message=message, channel="sms", status="unknown")


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
    # Deciding about a delivery of unknown outcome: the same people, in their scope.
    Rule(
        "notify:undelivered_resend",
        expect(403, leader=302, admin=302),
        method="post",
        target="unknown_delivery",
    ),
    Rule(
        "notify:undelivered_mark_delivered",
        expect(403, leader=302, admin=302),
        method="post",
        target="unknown_delivery",
    ),
    Rule(
        "notify:undelivered_resend",
        expect(403, leader=404, admin=302),
        method="post",
        target="outsiders_unknown_delivery",
    ),
    Rule(
        "notify:undelivered_mark_delivered",
        expect(403, leader=404, admin=302),
        method="post",
        target="outsiders_unknown_delivery",
    ),
    Rule("notify:undelivered_resend", expect(405), target="unknown_delivery"),
]
