"""The college's public site as it stood in April 2022: its sections, the
news and notices of the lockdown, two documents to download, and the
secretary's and the dean's mailboxes with a few letters. The job fairs'
notice and news are not typed here: they are written from the fair records
when the fairs are announced and held (`demo.fairs`), as the donations'
disclosures are from the ledger (`demo.supplies`) and the news of the meals
carried to the isolated from the deliveries (`demo.care`). The news of the
meeting of 4月2日 gives its decisions as the meeting recorded them. Nor is
the seed's own article typed: it is the chronicle of the lockdown, which the
system drafts from the data and publishes (`demo.chronicle`).

Everything goes through the bulletin's actions, as a writer at the desk
would; only the view counts and the letters' times and codes are set after,
from the step's own random generator.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.bulletin import actions
from shouwang.bulletin.models import CODE_ALPHABET, CODE_LENGTH, Article, Letter, Mailbox, Section
from shouwang.incidents.models import Meeting
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.lib.spreadsheets import write_xlsx
from shouwang.notify.models import Message

from .context import Demo
from .files import one_page_pdf

SECTIONS = (
    ("news", "学院新闻"),
    ("notices", "通知公告"),
    ("party", "党建动态"),
    ("downloads", "下载专区"),
)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


MEETING_NEWS = "学院召开疫情防控专题会议"

# (section, title, published at, body, contributed by, views between)
ARTICLES = (
    (
        "news",
        MEETING_NEWS,
        _at(2, 16, 20),
        "",  # written from the meeting's record: `_meeting_news`
        "学院办公室",
        (600, 900),
    ),
    (
        "notices",
        "关于线上教学安排的通知",
        _at(5, 18, 0),
        "各位老师、同学：\n\n根据学校疫情防控工作要求，学院自4月6日起全面启动“云端”课堂，"
        "本学期所有课程转为线上教学。\n\n一、各任课教师通过教学平台推送教学资源，按原课表时间"
        "开展直播或录播教学，并建立课程群，做好在线答疑。\n\n二、各教学班班长每日课前统计"
        "到课情况，报教学秘书汇总。\n\n三、网络或设备有困难的同学，请及时联系辅导员。\n\n"
        "做到教学不断线，计划不打折，质量不降低。",
        "教学办公室",
        (900, 1400),
    ),
    (
        "party",
        "学生党员先锋岗在核酸检测一线",
        _at(7, 21, 0),
        "疫情封控以来，学生党支部迅速成立党员先锋岗，组织在校学生党员形成工作队，"
        "与各班委一道穿梭在核酸检测一线，维持秩序、服务同学。",
        "本科生党支部",
        (300, 500),
    ),
    (
        "downloads",
        "疫情防控期间学生请假审批表",
        _at(4, 9, 0),
        "疫情防控期间，学生因特殊情况需离开宿舍区的，请填写本表，经辅导员和学院审批后执行。",
        "学生工作办公室",
        (200, 400),
    ),
    (
        "downloads",
        "2022届毕业生就业推荐表",
        _at(9, 10, 5),
        "参加网络双选会的同学请下载填写。",
        "学院团委",
        (250, 450),
    ),
)

MAILBOXES = (
    ("书记信箱", "secretary", "党委书记", "学院党委书记亲自阅处。欢迎师生、校友和社会各界来信。"),
    ("院长信箱", "dean", "院长", "学院院长亲自阅处。欢迎对学院教学、科研与管理提出意见和建议。"),
)

# (mailbox, sent on, name, contact, subject, letter, answer or "")
LETTERS = (
    (
        "secretary",
        _at(4, 21, 15),
        "",
        "",
        "隔离宿舍的午饭能否早一点送到",
        "隔离的同学下午还有网课，午饭能否早一点送到？谢谢老师们的辛苦。",
        "感谢来信。已请志愿服务队按楼栋优化送餐路线，尽量让午饭在11:30前后送到。",
    ),
    (
        "secretary",
        _at(10, 8, 40),
        "王同学",
        "wang2019@example.com",
        "想报名参加校内志愿服务",
        "我是2019级学生党员，目前在校，想参加送餐或核酸检测的志愿服务，应该找谁报名？",
        "欢迎！请联系学院团委，或直接向辅导员报名，学生党员工作队正需要人手。",
    ),
    (
        "dean",
        _at(7, 22, 5),
        "",
        "",
        "线上课程的回放",
        "有的课程直播时网络卡顿，希望老师能提供回放或课件下载。",
        "",
    ),
    (
        "dean",
        _at(13, 19, 50),
        "一位家长",
        "13600000000",
        "孩子毕业设计的进度",
        "封控期间孩子无法去实验室，毕业设计会不会受影响？学院是否有安排？",
        "",
    ),
)


LEAVE_FORM = [
    "信息学院疫情防控期间学生请假审批表",
    "姓名：__________  学号：__________  班级：__________",
    "联系电话：__________  宿舍：__________",
    "请假事由：________________________________________",
    "离开时间：____月____日____时  返回时间：____月____日____时",
    "本人承诺：严格遵守疫情防控规定，按时返回，如实报告行程。",
    "学生签字：__________",
    "辅导员意见：__________  学院意见：__________",
]
RECOMMENDATION_HEADERS = ("姓名", "学号", "专业", "政治面貌", "求职意向", "联系电话", "辅导员意见")


def _documents() -> dict[str, SimpleUploadedFile]:
    return {
        "疫情防控期间学生请假审批表": SimpleUploadedFile(
            "疫情防控期间学生请假审批表.pdf",
            one_page_pdf(LEAVE_FORM),
            content_type="application/pdf",
        ),
        "2022届毕业生就业推荐表": SimpleUploadedFile(
            "2022届毕业生就业推荐表.xlsx",
            write_xlsx(RECOMMENDATION_HEADERS, [["", "", "", "", "", "", ""]], title="就业推荐表"),
        ),
    }


def _meeting_news(demo: Demo) -> str:
    """The news of the incident's first meeting, its decisions as recorded."""
    meeting = Meeting.objects.filter(incident=demo.incident).earliest("held_at")
    held = meeting.held_at.astimezone(clock.BEIJING)
    when = f"{held.month}月{held.day}日{'上午' if held.hour < 12 else '下午'}"
    decisions = "；".join(meeting.decisions.order_by("number").values_list("text", flat=True))
    return (
        f"{when}，信息学院党委{'线上' if meeting.is_online else ''}召开疫情防控专题会议，"
        "传达学校党委关于校园封控管理的部署，研究疫情封控后有关工作。\n\n"
        f"会议决定：{decisions}。\n\n"
        "会议要求，各部门坚持以师生为本，聚焦重点，精准施策，切实为在校学生提供支持与保障。"
    )


def publish(
    demo: Demo,
    rng: random.Random,
    *,
    section: Section,
    title: str,
    body: str,
    source: str,
    published_at: dt.datetime,
    views: tuple[int, int],
    attachment: SimpleUploadedFile | None = None,
) -> Article:
    """Write and publish an article as the leader login did at `published_at`."""
    writer = demo.user(Role.LEADER)
    article = actions.save_article(
        None, section=section, title=title, body=body, source=source, acting_user=writer
    )
    if attachment is not None:
        actions.add_attachment(article, file=attachment, acting_user=writer)
    actions.publish_article(article, published_at=published_at, acting_user=writer)
    # Written at the desk in the hour before it went out, not at the build's clock.
    Article.objects.filter(pk=article.pk).update(
        views=rng.randint(*views),
        created_at=published_at - dt.timedelta(hours=1),
        changed_at=published_at,
    )
    return article


def build_bulletin(demo: Demo) -> None:
    rng = demo.rng("bulletin")
    writer = demo.user(Role.LEADER)
    sections = {
        slug: Section.objects.create(name=name, slug=slug, position=i)
        for i, (slug, name) in enumerate(SECTIONS)
    }
    documents = _documents()
    for slug, title, published_at, body, source, views in ARTICLES:
        publish(
            demo,
            rng,
            section=sections[slug],
            title=title,
            body=_meeting_news(demo) if title == MEETING_NEWS else body,
            source=source,
            published_at=published_at,
            views=views,
            attachment=documents.get(title),
        )

    mailboxes = {
        slug: Mailbox.objects.create(
            name=name, slug=slug, person=demo.posts[post], description=description, position=i
        )
        for i, (name, slug, post, description) in enumerate(MAILBOXES)
    }
    for i, (slug, sent_at, name, contact, subject, body, answer) in enumerate(LETTERS):
        letter = actions.send_letter(
            mailboxes[slug],
            subject=subject,
            body=body,
            name=name,
            contact=contact,
            client=f"demo-{i}",
        )
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        Letter.objects.filter(pk=letter.pk).update(sent_at=sent_at, code=code)
        Message.objects.filter(link=reverse("bulletin:letter_detail", args=[letter.pk])).update(
            created_at=sent_at
        )
        if answer:
            letter.refresh_from_db()
            actions.answer_letter(letter, answer=answer, acting_user=writer)
            Letter.objects.filter(pk=letter.pk).update(
                answered_at=sent_at + dt.timedelta(hours=rng.randint(10, 30))
            )


BULLETIN_STEPS = (build_bulletin,)
