"""The job fairs in the college's words, written from their records: the
notice that announces them to the graduating classes, and the news article
about them for the bulletin, with the computed counts. Nothing in them is typed.

They are documents of the college, sent to its students and published on its
site in the wording it uses (人次, 两场, 余), so they are written in Chinese
here rather than translated from English msgids: the seed's "共计360余人次参与"
has no word-for-word English, and a notice must read the same whoever sent it.

How the article gives the participations (人次): under 100, exactly; from 100
up, rounded down to tens, with 余 ("more than") when that dropped anything —
363 is "360余人次", 360 is "360人次". The article says so in its closing note.

Which notice and article were written for a fair is read back from the audit
entries of the announcement and the publication (each names its notice or
article): publishing the news again rewrites the same article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.bulletin import actions as bulletin
from shouwang.bulletin.models import Article, Section
from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.notices import actions as notices
from shouwang.notices.audience import Audience, Kind
from shouwang.notices.models import Notice

from .audit import CareersEvent
from .models import FairEmployer, Graduate, JobFair, Offer, Participation, Position, Registration
from .queries import totals

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# The bulletin's news column (学院新闻), where the article goes.
NEWS_SLUG = "news"
NEWS_NAME = "学院新闻"
# The bulletin's notices (通知公告), where the announcement is published too.
NOTICES_SLUG = "notices"
NOTICES_NAME = "通知公告"

_SMALL = "零一两三四五六七八九十"
_WEEKDAYS = "一二三四五六日"
# Below this the participations are given exactly: "87人次", not "80余人次".
ROUND_FROM = 100


def count_said(number: int) -> str:
    """A small count as Chinese writes it before a measure word: 两场, 十场, 12场."""
    return _SMALL[number] if 0 < number <= 10 else str(number)


def day_said(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def days_said(days: Iterable[dt.date]) -> str:
    """The fairs' days as one phrase: 4月12日, 4月12日和14日, 4月12日、14日和5月6日."""
    ordered = sorted(set(days))
    words = [
        day_said(day) if index == 0 or ordered[index - 1].month != day.month else f"{day.day}日"
        for index, day in enumerate(ordered)
    ]
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + "和" + words[-1]


def weekday_said(day: dt.date) -> str:
    return f"星期{_WEEKDAYS[day.weekday()]}"


def time_said(moment: dt.time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def participations_said(number: int) -> str:
    """The participations as the article gives them (see the module's docstring)."""
    if number < ROUND_FROM:
        return f"{number}人次"
    tens = number - number % 10
    return f"{tens}余人次" if tens != number else f"{number}人次"


def joined(words: Iterable[str]) -> str:
    unique = list(dict.fromkeys(word for word in words if word))
    return "、".join(unique)


@dataclass(frozen=True)
class FairLine:
    """One fair as the notice and the article give it."""

    fair: JobFair
    rooms: int
    positions: int
    participations: int


@dataclass(frozen=True)
class Figures:
    """What the fairs' records say, counted: a few queries whatever their size."""

    fairs: list[FairLine]
    employers: int
    positions: int
    openings: int
    registered: int
    participations: int
    participants: int
    offers: int
    accepted: int

    @property
    def days(self) -> str:
        return days_said(line.fair.held_on for line in self.fairs)

    @property
    def organisers(self) -> str:
        return joined(line.fair.organiser for line in self.fairs)


def figures(fairs: QuerySet[JobFair]) -> Figures:
    """Count the fairs' rooms, positions, registrations, participations and offers."""
    fairs = fairs.order_by("held_on", "starts_at", "pk")
    per_fair = {
        row["fair_id"]: row
        for row in FairEmployer.objects.filter(fair__in=fairs)
        .order_by()
        .values("fair_id")
        .annotate(rooms=Count("pk", distinct=True), positions=Count("positions", distinct=True))
    }
    times = dict(
        Participation.objects.filter(fair__in=fairs)
        .order_by()
        .values("fair_id")
        .annotate(n=Count("pk"))
        .values_list("fair_id", "n")
    )
    lines = [
        FairLine(
            fair,
            per_fair.get(fair.pk, {}).get("rooms", 0),
            per_fair.get(fair.pk, {}).get("positions", 0),
            times.get(fair.pk, 0),
        )
        for fair in fairs.select_related("unit")
    ]
    positions = Position.objects.filter(fair_rooms__fair__in=fairs).distinct()
    participations, participants = totals(fairs)
    offers = Offer.objects.filter(fair__in=fairs).aggregate(
        offered=Count("graduate", distinct=True),
        accepted=Count("graduate", distinct=True, filter=Q(status=Offer.Status.ACCEPTED)),
    )
    return Figures(
        fairs=lines,
        employers=FairEmployer.objects.filter(fair__in=fairs)
        .values("employer_id")
        .distinct()
        .count(),
        positions=positions.count(),
        openings=Position.objects.filter(pk__in=positions.values("pk")).aggregate(
            n=Sum("openings")
        )["n"]
        or 0,
        registered=Registration.objects.filter(fair__in=fairs)
        .values("person_id")
        .distinct()
        .count(),
        participations=participations,
        participants=participants,
        offers=offers["offered"],
        accepted=offers["accepted"],
    )


def cohort_of(fairs: Sequence[JobFair]) -> int | None:
    """The cohort (届) the fairs are for: the one graduating in the year of
    the first, or the latest there is."""
    cohorts = set(Graduate.objects.values_list("cohort", flat=True).distinct())
    if not cohorts or not fairs:
        return None
    year = min(fair.held_on for fair in fairs).year
    return year if year in cohorts else max(cohorts)


def _fair_line(line: FairLine, *, with_link: bool) -> str:
    fair = line.fair
    text = (
        f"{fair.title}：{day_said(fair.held_on)}（{weekday_said(fair.held_on)}）"
        f"{time_said(fair.starts_at)}—{time_said(fair.ends_at)}，{fair.platform}，"
        f"{line.rooms}家单位、岗位{line.positions}个"
    )
    if with_link and fair.link:
        text += f"，会场链接：{fair.link}"
    return text + "。"


def notice_text(fairs: QuerySet[JobFair]) -> tuple[str, str]:
    """The announcement's title and body, from the fairs' records."""
    counted = figures(fairs)
    cohort = cohort_of([line.fair for line in counted.fairs])
    graduates = f"{cohort}届毕业生" if cohort else "毕业生"
    title = f"关于举办{graduates}网络双选会的通知"
    number = len(counted.fairs)
    paragraphs = [
        f"各位{graduates}：",
        f"为做好毕业生就业服务工作，{counted.organisers}将于{counted.days}举办"
        f"{count_said(number)}场网络双选会，共有{counted.employers}家用人单位在线招聘，"
        f"提供岗位{counted.positions}个、招聘{counted.openings}人。具体安排如下：",
        *(_fair_line(line, with_link=True) for line in counted.fairs),
        "请同学们提前准备电子版简历，在“守望”的网络双选会页面报名，查看参会单位、岗位和各单位的"
        "直播间链接；双选会当天进入用人单位的直播间后，输入直播间里显示的签到码。",
    ]
    return title[: Notice._meta.get_field("title").max_length], "\n\n".join(paragraphs)


def article_text(fairs: QuerySet[JobFair]) -> tuple[str, str]:
    """The news article's title and body, from the fairs' records and counts."""
    counted = figures(fairs)
    units = joined(line.fair.unit.name for line in counted.fairs)
    title = f"{units}举办网络双选会助力毕业生就业"
    number = len(counted.fairs)
    paragraphs = [
        f"{counted.days}，{counted.organisers}牵头举办{count_said(number)}场网络双选会，"
        f"共计{participations_said(counted.participations)}参与。",
        f"{counted.employers}家用人单位通过直播间在线招聘，提供岗位{counted.positions}个、"
        f"招聘{counted.openings}人；{counted.registered}名毕业生报名，"
        f"{counted.participants}名毕业生走进用人单位的直播间。",
    ]
    if number > 1:
        paragraphs.append(
            "其中，"
            + "；".join(
                f"{line.fair.title}（{day_said(line.fair.held_on)}）{line.rooms}家单位参加，"
                f"{line.participations}人次参与"
                for line in counted.fairs
            )
            + "。"
        )
    if counted.offers:
        accepted = f"，其中{counted.accepted}人已接受录用" if counted.accepted else ""
        paragraphs.append(
            f"截至{day_said(clock.today())}，已有{counted.offers}名毕业生通过双选会"
            f"收到用人单位的录用意向{accepted}。"
        )
    paragraphs += [
        "学院将继续联络用人单位，为毕业生及时提供就业信息、创造就业机会。",
        "（注：一名毕业生进入一家用人单位的直播间计1人次，同一人在同一直播间只计一次；"
        "百人次以上按整十计，不足整十的部分记为“余”。数据截至"
        f"{_moment_said(clock.now())}。）",
    ]
    return title[: Article._meta.get_field("title").max_length], "\n\n".join(paragraphs)


def _moment_said(moment: dt.datetime) -> str:
    local = timezone.localtime(moment, clock.BEIJING)
    return f"{day_said(local.date())}{time_said(local.time())}"


@dataclass(frozen=True)
class Announcement:
    notice: Notice
    article: Article | None


def _pks(fairs: QuerySet[JobFair]) -> list[int]:
    return list(fairs.order_by("held_on", "pk").values_list("pk", flat=True))


@transaction.atomic
def announce_fairs(
    fairs: QuerySet[JobFair], *, on_bulletin: bool = True, acting_user: User
) -> Announcement:
    """Write and publish the notice of the fairs to the classes of their
    cohort's graduates, and (`on_bulletin`) the same text on the bulletin's
    notices. Raises ValidationError if the writer's notices reach none of them."""
    fair_pks = _pks(fairs)
    if not fair_pks:
        raise ValidationError(_("Choose the fairs to announce."))
    nobody = ValidationError(
        _("Your notices reach none of the graduating classes: ask a leader to announce the fairs.")
    )
    cohort = cohort_of(list(fairs))
    if cohort is None:
        raise ValidationError(_("There are no graduates to announce the fairs to."))
    title, body = notice_text(fairs)
    classes = (
        Graduate.objects.filter(cohort=cohort, person__admin_class__isnull=False)
        .order_by()
        .values_list("person__admin_class_id", flat=True)
        .distinct()
    )
    notice = notices.write_notice(
        title=title,
        body=body,
        audience=Audience(classes=tuple(sorted(classes)), kind=Kind.STUDENTS),
        requires_acknowledgement=False,
        deadline=None,
        acting_user=acting_user,
    )
    # The employment office writes no notices: its reach is nobody (and the
    # draft goes with the transaction).
    if not notices.recipients_of(notice).exists():
        raise nobody
    try:
        notices.publish(notice, acting_user=acting_user)
    except notices.NobodyInAudience as error:
        raise nobody from error
    article = None
    if on_bulletin:
        article = bulletin.save_article(
            None,
            section=Section.find_or_make(NOTICES_SLUG, NOTICES_NAME, position=1),
            title=title,
            body=body,
            source=joined(
                JobFair.objects.filter(pk__in=fair_pks).values_list("organiser", flat=True)
            ),
            acting_user=acting_user,
        )
        article = bulletin.publish_article(article, acting_user=acting_user)
    audit.record_many(
        CareersEvent.FAIRS_ANNOUNCED,
        (
            (fair, {"notice": notice.pk, "article": article.pk if article else None})
            for fair in JobFair.objects.filter(pk__in=fair_pks)
        ),
        acting_user=acting_user,
    )
    return Announcement(notice, article)


@transaction.atomic
def publish_fair_news(fairs: QuerySet[JobFair], *, acting_user: User) -> Article:
    """Publish the article about the fairs on the bulletin's news, or rewrite
    the one published before for the same fairs with the counts of now."""
    fair_pks = _pks(fairs)
    if not fair_pks:
        raise ValidationError(_("Choose the fairs to write about."))
    title, body = article_text(fairs)
    source = joined(JobFair.objects.filter(pk__in=fair_pks).values_list("organiser", flat=True))
    earlier = news_of(JobFair.objects.get(pk=fair_pks[0]), fair_pks)
    if earlier is None:
        article = bulletin.save_article(
            None,
            section=Section.find_or_make(NEWS_SLUG, NEWS_NAME, position=0),
            title=title,
            body=body,
            source=source,
            acting_user=acting_user,
        )
    else:
        article = bulletin.save_article(
            earlier, title=title, body=body, source=source, acting_user=acting_user
        )
    if not article.is_public:
        article = bulletin.publish_article(article, acting_user=acting_user)
    audit.record_many(
        CareersEvent.FAIR_NEWS_PUBLISHED,
        (
            (fair, {"article": article.pk, "fairs": fair_pks})
            for fair in JobFair.objects.filter(pk__in=fair_pks)
        ),
        acting_user=acting_user,
    )
    return article


def _entries(fair: JobFair, kind: CareersEvent) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.get_for_object(fair).filter(kind=kind.value).order_by("-timestamp", "-pk")
    )


def announcement_of(fair: JobFair) -> Notice | None:
    """The latest notice that announced the fair."""
    entry = _entries(fair, CareersEvent.FAIRS_ANNOUNCED).first()
    if entry is None:
        return None
    return Notice.objects.filter(pk=entry.additional_data.get("notice")).first()


def news_of(fair: JobFair, fair_pks: Sequence[int] | None = None) -> Article | None:
    """The latest article published about the fair (about exactly `fair_pks`, if given)."""
    for entry in _entries(fair, CareersEvent.FAIR_NEWS_PUBLISHED):
        if fair_pks is not None and sorted(entry.additional_data.get("fairs", [])) != sorted(
            fair_pks
        ):
            continue
        return Article.objects.filter(pk=entry.additional_data.get("article")).first()
    return None
