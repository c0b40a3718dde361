from shouwang.bulletin.actions import add_attachment, add_image, send_letter
from shouwang.bulletin.tests.helpers import jpeg, make_article, make_mailboxes, make_sections, pdf
from shouwang.people.models import Person
from shouwang.policy import Rule, expect
from shouwang.test import make_person

# The public site: everyone alike, logged in or not.
PUBLIC = expect(200, anonymous=200)
NOWHERE = expect(404, anonymous=404)
# Files of a draft: only writers preview them.
PREVIEW = expect(200, anonymous=404, student=404, volunteer=404, teacher=404, supervisor=404)
# The writers' desk: leaders, admins and counsellors; it does not exist for others.
WRITERS = expect(200, student=404, volunteer=404, teacher=404, supervisor=404)
WRITERS_POST = expect(302, student=404, volunteer=404, teacher=404, supervisor=404)
# Letters: the person the mailbox routes to (the leader) and admins.
SECRETARY = expect(404, leader=200, admin=200)
ADMIN_ONLY = expect(404, admin=200)

LETTER = {"subject": "关于宿舍热水", "body": "B 栋热水时有时无。", "name": "", "contact": ""}


def make_objects(case) -> None:
    case.sections = make_sections()
    case.news = case.sections["news"]
    case.public_article = make_article(case.news, "学院召开疫情防控专题会议", author=case.leader)
    case.draft = make_article(case.news, "未发布的稿件", state="draft", author=case.leader)
    case.scheduled = make_article(case.news, "明日发布", state="scheduled", author=case.leader)
    case.public_image = add_image(case.public_article, file=jpeg(), acting_user=case.leader)
    case.draft_image = add_image(case.draft, file=jpeg(), acting_user=case.leader)
    case.public_file = add_attachment(case.public_article, file=pdf(), acting_user=case.leader)
    case.draft_file = add_attachment(case.draft, file=pdf(), acting_user=case.leader)
    dean = make_person("T0002", "院长", Person.Kind.TEACHER, unit=case.college)
    case.secretary_box, case.dean_box = make_mailboxes(case.leader_person, dean)
    case.secretary_letter = send_letter(case.secretary_box, **LETTER, client="policy")
    case.dean_letter = send_letter(case.dean_box, **LETTER, client="policy")


def code_of(name: str):
    return lambda case, persona: [getattr(case, name).code]


RULES = [
    Rule("bulletin:home", PUBLIC),
    Rule("bulletin:section", PUBLIC, target=lambda case, persona: [case.news.slug]),
    Rule("bulletin:section", NOWHERE, target=lambda case, persona: ["no-such-section"]),
    Rule("bulletin:article", PUBLIC, target="public_article"),
    Rule("bulletin:article", NOWHERE, target="draft"),
    Rule("bulletin:article", NOWHERE, target="scheduled"),
    Rule("bulletin:image", PUBLIC, target="public_image"),
    Rule("bulletin:image", PREVIEW, target="draft_image"),
    Rule("bulletin:cover", NOWHERE, target="public_article"),  # it has no cover
    Rule("bulletin:attachment", PUBLIC, target="public_file"),
    Rule("bulletin:attachment", PREVIEW, target="draft_file"),
    Rule("bulletin:write_letter", PUBLIC, target=lambda case, persona: ["secretary"]),
    # Sent: on to the letter's page with its query code.
    Rule(
        "bulletin:write_letter",
        expect(302, anonymous=302),
        method="post",
        target=lambda case, persona: ["secretary"],
        data=LETTER,
    ),
    Rule("bulletin:letter_lookup", PUBLIC),
    Rule(
        "bulletin:letter_lookup",
        expect(302, anonymous=302),
        query=lambda case, persona: {"code": case.dean_letter.code},
    ),
    Rule("bulletin:letter_status", PUBLIC, target=code_of("secretary_letter")),
    Rule("bulletin:letter_status", NOWHERE, target=lambda case, persona: ["ABCDEFGHJKMNPQRS"]),
    Rule("bulletin:desk", WRITERS),
    Rule("bulletin:article_new", WRITERS),
    # An empty form comes back with its errors.
    Rule("bulletin:article_new", WRITERS, method="post", data={}),
    Rule("bulletin:article_edit", WRITERS, target="draft"),
    Rule("bulletin:article_edit", WRITERS, target="public_article"),
    Rule(
        "bulletin:article_edit",
        WRITERS_POST,
        method="post",
        target="draft",
        data={"section": "news", "title": "改过的标题", "body": "正文"},
    ),
    Rule("bulletin:article_publish", WRITERS_POST, method="post", target="draft"),
    Rule("bulletin:article_unpublish", WRITERS_POST, method="post", target="public_article"),
    Rule("bulletin:image_add", WRITERS, method="post", target="draft", data={}),
    Rule("bulletin:attachment_add", WRITERS, method="post", target="draft", data={}),
    Rule("bulletin:image_remove", WRITERS_POST, method="post", target="draft_image"),
    Rule("bulletin:attachment_remove", WRITERS_POST, method="post", target="draft_file"),
    Rule("bulletin:letter_list", SECRETARY),
    Rule("bulletin:letter_detail", SECRETARY, target="secretary_letter"),
    Rule("bulletin:letter_detail", ADMIN_ONLY, target="dean_letter"),
    Rule(
        "bulletin:letter_detail",
        expect(404, leader=302, admin=302),
        method="post",
        target="secretary_letter",
        data={"answer": "已联系后勤处理。"},
    ),
]
