"""The chronicle's prose: how a figure sits in it, how it is said, and the draft.

A chronicle is a college's account of an incident in the college's own
words, published on its site: it is written in Chinese here, like the job
fairs' news (`careers.report`), not translated from English msgids.

**Markers.** The prose holds a figure as a marker, `{{students_online}}`, or
with the way it is said, `{{job_fairs|cn}}`:

- no way: as the figure says its values (`Figure.said`: a number in
  digits, a rate as 97.3%, a list joined with 、);
- `cn`: a small count as Chinese says it before a measure word (两支, 三餐,
  五个方面), 11 and up in digits;
- `approx`: a count of 100 and more rounded down to tens, with 余 when that
  dropped something (363 → 360余);
- `quoted`: a list of names, each in quotation marks, without the ending
  they all share (启航志愿服务队、青禾志愿服务队 → “启航”、“青禾”);
- `items`: a donation list (防护服100套、……以及水果1000斤);
- `date`: a day as 4月6日.

The marker is all the author sees of a figure's value in the stored text, so
editing the prose never changes a figure: the value comes from the data each
time the chronicle is read, until it is published (`Reading`).

**The draft.** `draft()` writes the sections in the seed's order, each a few
paragraphs in the seed's voice carrying the figures that say what happened;
a paragraph whose figures are all nought or empty for this college is left
out of the draft (a college with no donations gets no thanks for nothing),
and so is a clause of the templates marked [[...]] (what only adds a
figure: "（期间召开专题会议3次）" is said only if meetings were held).
Nothing here names a college or a person: names come from the data (the
college's unit, the incident's title, the figures that are names).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from string import Template
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shouwang.lib import clock

from .figures import FIGURES, Figure, Scope, compute
from .models import Chronicle, ChronicleSection

if TYPE_CHECKING:
    from shouwang.incidents.models import Incident
    from shouwang.people.models import Unit

Topic = ChronicleSection.Topic

MARK = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z_]*)\s*)?\}\}")
# Braces left over once the markers are taken out: a marker mistyped.
STRAY = re.compile(r"\{\{|\}\}")
PARAGRAPHS = re.compile(r"\n\s*\n")
# A clause of the draft's templates left out when its figures are empty.
OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)

_SMALL = "零一两三四五六七八九十"
# Counts from here up are rounded (`approx`): "360余人次", not "363人次".
ROUND_FROM = 100


# -- saying a value ------------------------------------------------------------


def count_said(number: int) -> str:
    """A small count before a measure word: 两支, 三餐, 十场, 12场."""
    return _SMALL[number] if 0 < number <= 10 else str(number)


def approx_said(number: int) -> str:
    """A count rounded down to tens from 100 up, with 余 when that dropped anything."""
    if number < ROUND_FROM:
        return str(number)
    tens = number - number % 10
    return f"{tens}余" if tens != number else str(number)


def day_said(value: Any) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.month}月{day.day}日"


def quantity_said(value: Any) -> str:
    """100, "100.00", Decimal("1000.0") → 100, 1000; 2.5 stays 2.5."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    return text


def items_said(lines: Iterable[dict[str, Any]]) -> str:
    """防护服100套、免洗手消毒液700瓶、……以及水果1000斤."""
    words = [
        f"{line.get('item', '')}{quantity_said(line.get('quantity', ''))}{line.get('unit', '')}"
        for line in lines
    ]
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + "以及" + words[-1]


def quoted_said(names: list[str]) -> str:
    """Names in quotation marks, without the ending they all share:
    启航志愿服务队, 青禾志愿服务队 → “启航”、“青禾” (the sentence says
    what they are)."""
    common = os.path.commonprefix([name[::-1] for name in names])[::-1] if len(names) > 1 else ""
    if common and all(len(name) > len(common) for name in names):
        names = [name[: -len(common)] for name in names]
    return "、".join(f"“{name}”" for name in names)


def _names(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(name) for name in value]
    return [str(value)] if value not in (None, "") else []


def _plain_said(value: Any) -> str:
    if isinstance(value, list):
        if value and all(isinstance(line, dict) and "item" in line for line in value):
            return items_said(value)
        return "、".join(_names(value))
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "、".join(f"{name}{_plain_said(number)}" for name, number in value.items())
    return str(value)


SAYINGS: dict[str, Callable[[Any], str]] = {
    "": _plain_said,
    "cn": lambda value: count_said(int(value)),
    "approx": lambda value: approx_said(int(value)),
    "quoted": lambda value: quoted_said(_names(value)),
    "items": items_said,
    "date": day_said,
}
WAYS = tuple(SAYINGS)


def said(value: Any, way: str = "", key: str = "") -> str:
    """The value of the figure `key` as the prose says it (see the module's
    docstring): without a way, as the figure itself says its values."""
    if value is None:
        return "—"
    figure = FIGURES.get(key)
    own = getattr(figure, "said", None)
    if not way and own is not None:
        return str(own(value))
    return SAYINGS[way](value)


def json_values(values: dict[str, Any]) -> dict[str, Any]:
    """The figures as JSON has them (dates as ISO text, decimals as text):
    counted now or frozen in the database, they read alike."""
    loaded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return loaded


# -- markers in prose ------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """A figure where the prose uses it, said as its marker asks."""

    key: str
    way: str
    said: str

    @property
    def figure(self) -> Figure | None:
        return FIGURES.get(self.key)

    @property
    def mark(self) -> str:
        return "{{" + self.key + (f"|{self.way}" if self.way else "") + "}}"


Piece = str | Use


def keys_in(*texts: str) -> list[str]:
    """The figures the texts use, each once, in order of first use."""
    return list(dict.fromkeys(match[1] for text in texts for match in MARK.finditer(text)))


def problems(text: str) -> list[str]:
    """What is wrong with the markers of `text`, said for its author."""
    found = []
    for match in MARK.finditer(text):
        key, way = match[1], match[2] or ""
        if key not in FIGURES:
            found.append(
                _("%(mark)s: there is no figure called %(key)s.") % {"mark": match[0], "key": key}
            )
        elif way not in WAYS:
            found.append(
                _("%(mark)s: a figure cannot be said as %(way)s.") % {"mark": match[0], "way": way}
            )
    if STRAY.search(MARK.sub("", text)):
        found.append(_("A figure's marker is incomplete: {{ or }} without its other half."))
    return found


def pieces(text: str, values: dict[str, Any]) -> list[Piece]:
    """The text as plain runs and the figures it uses, in order."""
    out: list[Piece] = []
    at = 0
    for match in MARK.finditer(text):
        if match.start() > at:
            out.append(text[at : match.start()])
        key, way = match[1], match[2] or ""
        try:
            value = said(values[key], way, key) if key in values else "？"
        except (KeyError, TypeError, ValueError, InvalidOperation):
            value = "？"
        out.append(Use(key, way, value))
        at = match.end()
    if at < len(text):
        out.append(text[at:])
    return out


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in PARAGRAPHS.split(text.replace("\r\n", "\n")) if part.strip()]


def plain(pieces_: Iterable[Piece]) -> str:
    return "".join(piece if isinstance(piece, str) else piece.said for piece in pieces_)


# -- a chronicle as read now -----------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A paragraph of the account, or a heading (a section's, or the title)."""

    pieces: list[Piece]
    heading: bool = False

    @property
    def text(self) -> str:
        return plain(self.pieces)


@dataclass
class Reading:
    """A chronicle with its figures: counted now while it is a draft, as
    frozen when it was published after."""

    chronicle: Chronicle
    scope: Scope
    values: dict[str, Any]
    counted_at: dt.datetime
    live: bool
    sections: list[ChronicleSection] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        blocks = [Block(pieces(part, self.values)) for part in paragraphs(self.chronicle.lead)]
        for section in self.sections:
            if section.heading.strip():
                blocks.append(Block([section.heading.strip()], heading=True))
            blocks += [Block(pieces(part, self.values)) for part in paragraphs(section.text)]
        # A heading over nothing (its sections left empty) is not printed.
        return [
            block
            for block, after in zip(blocks, [*blocks[1:], None], strict=True)
            if not block.heading or (after is not None and not after.heading)
        ]

    def body(self) -> str:
        """The article's text: paragraphs and headings, a blank line between."""
        return "\n\n".join(block.text for block in self.blocks())

    def uses(self) -> list[Use]:
        """Each figure the prose uses, once, with its value as first said."""
        seen: dict[str, Use] = {}
        for block in self.blocks():
            for piece in block.pieces:
                if isinstance(piece, Use) and piece.key not in seen:
                    seen[piece.key] = Use(piece.key, "", said_or_unknown(self.values, piece.key))
        return list(seen.values())

    def legend(self) -> list[Legend]:
        """The figures used, with what each counts and where its list is."""
        return [
            Legend(
                use.key,
                str(use.figure.label) if use.figure else use.key,
                str(use.figure.definition) if use.figure else "",
                use.said,
                use.figure.url(self.scope) if use.figure else None,
            )
            for use in self.uses()
        ]

    def texts(self) -> list[str]:
        """The stored prose: the opening paragraph and each section's text."""
        return [self.chronicle.lead, *(section.text for section in self.sections)]

    def shown(self) -> list[ShownBlock]:
        """The blocks for a page: each figure with what it counts and its list."""
        legend = {item.key: item for item in self.legend()}
        return [
            ShownBlock(
                block.heading,
                [
                    Shown(piece.said, piece.key, legend.get(piece.key))
                    if isinstance(piece, Use)
                    else Shown(piece)
                    for piece in block.pieces
                ],
            )
            for block in self.blocks()
        ]

    def marks(self) -> dict[str, dict[str, str]]:
        """Every marker the editor may show as a chip: those the prose uses and
        each known figure's plain one, with its value, label and definition."""
        found = {match[0]: match[1] for text in self.texts() for match in MARK.finditer(text)}
        for key in self.values:
            found.setdefault("{{" + key + "}}", key)
        marks = {}
        for mark, key in found.items():
            [use] = pieces(mark, self.values)
            figure = FIGURES.get(key)
            marks[mark] = {
                "said": use.said if isinstance(use, Use) else "？",
                "label": str(figure.label) if figure else key,
                "definition": str(figure.definition) if figure else "",
            }
        return marks


@dataclass(frozen=True)
class Shown:
    """A run of text, or a figure with its legend (None: no such figure)."""

    text: str
    key: str = ""
    legend: Legend | None = None


@dataclass(frozen=True)
class ShownBlock:
    heading: bool
    pieces: list[Shown]


@dataclass(frozen=True)
class Legend:
    key: str
    label: str
    definition: str
    said: str
    url: str | None

    @property
    def mark(self) -> str:
        return "{{" + self.key + "}}"


def said_or_unknown(values: dict[str, Any], key: str) -> str:
    if key not in values:
        return "？"
    try:
        return said(values[key], "", key)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return "？"


def count(scope: Scope, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The figures (those named, or all) counted now, as JSON values. A value
    that is words (匿名 for a donor who asked not to be named) is in the
    site's language, the chronicle's, whatever the reader's page is in."""
    known = None if keys is None else [key for key in keys if key in FIGURES]
    with translation.override(settings.LANGUAGE_CODE):
        return json_values(compute(scope, known))


def read(chronicle: Chronicle) -> Reading:
    """The chronicle with its figures: frozen if published, counted now if not
    (only those its prose uses)."""
    sections = list(chronicle.sections.all())
    scope = chronicle.scope()
    if chronicle.is_published and chronicle.counted_at is not None:
        return Reading(
            chronicle, scope, dict(chronicle.figures), chronicle.counted_at, False, sections
        )
    texts = [chronicle.lead, *(section.text for section in sections)]
    return Reading(chronicle, scope, count(scope, keys_in(*texts)), clock.now(), True, sections)


# -- the draft ---------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A section of the draft: its topic, the heading before it, its paragraphs."""

    topic: Topic
    heading: str
    paragraphs: tuple[str, ...]


TITLE = "温暖坚毅，守望花开——${college}党委${event}工作纪实"

LEAD = (
    "${season}，“${event}”应急响应启动，校园防控形势骤然严峻。面对突如其来的考验，"
    "${college}党委高举党旗，直面挑战，应声而动，沉着应战，在大考面前充分发挥了基层党委"
    "政治核心作用。"
)

PARTS: tuple[Part, ...] = (
    Part(
        Topic.DEPLOYMENT,
        "闻令而动　统筹部署",
        (
            "快速反应，防控体系无死角。${college}党委紧跟学校党委指令，压实党委主体责任，"
            "及时启动应急预案，第一时间召开专题会议研究部署封控后有关工作[[（期间召开专题会议"
            "{{incident_meetings}}次）]]，坚持以师生为本，聚焦重点，精准施策，发挥党团组织堡垒作用"
            "和党员干部先锋作用，切实从各个方面为在校学生提供支持与保障，为校园安全稳定保驾护航。",
        ),
    ),
    Part(
        Topic.ONLINE_TEACHING,
        "",
        (
            "精心组织，“云端”授课无盲区。{{online_teaching_from|date}}起，学院全面启动“云端”"
            "课堂，正式开始线上教学，承担本期教学任务的{{teachers_online}}名教师、"
            "{{students_online}}名学生、{{teaching_classes_online}}个教学班共同参与到线上教学"
            "工作中。教师们化身“主播”，利用教学平台推送教学资源，借助各类软件、教学辅助工具"
            "开展线上教学，通过语音交流、课件学习、在线解答等多种形式确保教学活动正常开展，"
            "做到教学不断线，计划不打折，质量不降低。",
        ),
    ),
    Part(
        Topic.KEY_WORK,
        "",
        (
            "全盘谋划，重点工作稳推进。学院党委线上召开学院工作推进会，坚持防控不松懈，"
            "重点工作不停摆。学院党委围绕{{plan_area_titles}}{{plan_areas|cn}}个方面，"
            "把工作重点细化为{{plan_key_points}}个要点、{{plan_measures}}项具体举措，"
            "以项目化管理推动，经费项目化支持保障，过程项目化跟踪评估，年终项目化评比总结，"
            "全方位推进学院各项事业高质量发展。",
            "学院党委组建{{teacher_vanguard_posts|cn}}个教师党员先锋岗"
            "（{{teacher_vanguard_post_names}}），抓住党员骨干，紧盯近期工作重心，充分发挥了党支部战斗堡垒作用"
            "[[，{{plan_breakthroughs}}项重点工作有突破性进展]]，为后续工作的开展鼓舞了士气和干劲。",
        ),
    ),
    Part(
        Topic.CARE,
        "春风化雨　勠力同心",
        (
            "心系师生，特殊群体重帮扶。学院党委精准排摸校内外师生健康情况，督促全院"
            "{{students}}名学生、{{teachers}}名教师按时打卡[[，期间健康打卡率{{checkin_rate}}]]。"
            "学生党支部发动党员积极为学生服务，主动收集学生急需解决的难题，在学院党委的指导下"
            "逐一解决[[，已解决学生求助{{help_requests_solved}}件]]，为学生的正常学习、生活保驾护航。",
            "关心关怀学生，一个也不能少。在学院党委的安排和指导下，学院团委迅速行动，组织"
            "{{volunteer_brigade_names|quoted}}{{volunteer_brigades|cn}}支志愿者服务大队为隔离的"
            "学生写卡片、录制暖心励志视频，并为隔离学生定时定点送去一日{{meals_per_day|cn}}餐。",
            "支部辅导员们构筑起思政云课堂，传递特殊时期心理健康知识，帮助学生做好心理调适，"
            "培养理性平和的心态，帮助他们消除焦虑恐慌，减轻心理压力，讲好特殊时期思政大课。",
        ),
    ),
    Part(
        Topic.EMPLOYMENT,
        "",
        (
            "牵线搭台，“云上”双选助就业。快到毕业季，就业攻坚战还在进行中，${college}党委"
            "积极组织联络就业单位，全力做好线上毕业生就业指导与服务工作。学院团委牵头，"
            "已举办网络双选会{{job_fairs|cn}}场，共计{{job_fair_participations|approx}}人次参与，"
            "积极创造条件让毕业生在特殊时期也能及时收到就业信息，获得就业机会。",
        ),
    ),
    Part(
        Topic.DUTY,
        "担当作为　内外联动",
        (
            "安排有序，居家办公保效率。封控后，学院党委立即安排行政人员居家办公，坚持离校"
            "不离岗，在岗尽职责，保持联络畅通，随时接收指令，全方位服务教师学生。视频会议、"
            "工作联络群、网络办公平台……上动下联，紧张有序，确保学院工作有条不紊。",
            "倾情守护，坚守一线展风采。绝大多数行政人员只能居家办公，而也有少数孤勇者一路逆行，"
            "舍小家为大家，坚守校园，在非常时刻展现了非凡担当。{{longest_duty_streak_person}}"
            "就是这个群体中的一员：连续{{longest_duty_streak_days}}天，始终坚守在校园第一线，"
            "时而深入班级、宿舍成为管理员，时而做心理疏导成为知心老师，时而协助医务人员成为"
            "志愿者，时而定时参会成为联络员……人员紧缺，责任重大，在多个角色中切换，身体力行，"
            "连续奋战，刻画出学院学工队伍最美身影。",
        ),
    ),
    Part(
        Topic.DONATIONS,
        "",
        (
            "同舟共济，捐款捐物盼春归。特殊时期牵动着每一个师生的心，也受到了各方的关注。"
            "{{donation_donors}}在学校防控物资最吃紧的关头，向学校爱心捐赠{{donations|items}}。"
            "这一善举在防控一线向学校师生传递了温暖、博爱与力量。",
        ),
    ),
    Part(
        Topic.VOLUNTEERING,
        "党团一心　彰显青春",
        (
            "党旗飘扬，志愿服务我先行。党委有号召，支部有响应。封控以来，学生党支部迅速成立"
            "党员先锋岗，组织[[{{vanguard_party_members}}名]]在校学生党员形成学生党员工作队，辅助"
            "各年级辅导员开展各项学生组织工作。他们主动亮明党员身份，挺身而出，冲锋在前，"
            "与各班委一道维持学生秩序，给同学做好服务，在防控一线发挥了应有的作用。",
            "校外的学生党员也用行动诠释责任担当，学院共计{{home_service_party_members}}名"
            "[[分布在{{home_service_provinces}}个省份的]]学生党员在各自的社区做志愿服务。为居民采购生活物品、"
            "对各类物资进行消杀、在值守点检查出入人员、协助做好核酸检测工作等，他们以微光"
            "汇聚成星火，照亮各个角落。",
        ),
    ),
    Part(
        Topic.ACTIVITIES,
        "",
        (
            "凝心聚力，多彩活动克时艰。在学院党委的指导下，学院团委举办丰富多样的活动，"
            "营造良好氛围，传递正能量。特殊时期，学院开展了包括{{activity_titles}}等在内的"
            "各类活动和赛事共{{activities}}项，多彩的文体活动让学生们的学习生活不仅有趣，"
            "更有意义。",
        ),
    ),
)


def _season(day: dt.date) -> str:
    part = "初" if day.day <= 10 else "中旬" if day.day <= 20 else "下旬"
    return f"{day.year}年的{day.month}月{part}"


def _facts(scope: Scope, incident: Incident | None) -> dict[str, str]:
    return {
        "college": scope.unit.name,
        "event": incident.title if incident is not None else "",
        "season": _season(scope.first),
    }


def _empty(value: Any) -> bool:
    return value in (None, 0, "", [], {}) or value == 0.0


def _has_figures(text: str, values: dict[str, Any]) -> bool:
    return any(not _empty(values.get(key)) for key in keys_in(text) if key in FIGURES)


def _drafted(paragraph: str, values: dict[str, Any]) -> str:
    """A paragraph of the templates as drafted for these values: each optional
    clause [[...]] kept only if one of its figures has something to say, and
    the paragraph itself ("" when dropped) only if one of the figures outside
    its clauses does (or it has none)."""
    core = OPTIONAL.sub("", paragraph)
    if keys_in(core) and not _has_figures(core, values):
        return ""
    return OPTIONAL.sub(
        lambda clause: clause[1] if _has_figures(clause[1], values) else "", paragraph
    )


@dataclass(frozen=True)
class Draft:
    title: str
    lead: str
    sections: list[tuple[Topic, str, str]]
    # The figures the templates use, as counted for the draft.
    values: dict[str, Any]


def draft(scope: Scope) -> Draft:
    """The chronicle of `scope` as first drafted: the seed's sections, with the
    figures this college has (see the module's docstring)."""
    incident = scope.incident
    facts = _facts(scope, incident)
    values = count(scope, keys_in(*(text for part in PARTS for text in part.paragraphs)))
    sections = [
        (
            part.topic,
            part.heading,
            "\n\n".join(
                Template(text).safe_substitute(facts)
                for text in (_drafted(paragraph, values) for paragraph in part.paragraphs)
                if text
            ),
        )
        for part in PARTS
    ]
    title = Template(TITLE).safe_substitute(facts)
    if incident is None:
        title = f"{scope.unit.name}党委工作纪实（{day_said(scope.first)}—{day_said(scope.last)}）"
    lead = Template(LEAD).safe_substitute(facts)
    if incident is None:
        lead = lead.replace("“”应急响应启动，", "")
    return Draft(title[:120], lead, sections, values)


def drafted(scope: Scope) -> Reading:
    """The chronicle of `scope` as first drafted, read with its figures of now
    and saved nowhere: what `manage.py chronicle --out` writes."""
    text = draft(scope)
    chronicle = Chronicle(
        unit=scope.unit,
        incident=scope.incident,
        first=scope.first,
        last=scope.last,
        title=text.title,
        byline=default_byline(scope.unit),
        lead=text.lead,
    )
    sections = [
        ChronicleSection(chronicle=chronicle, topic=topic, position=i, heading=heading, text=body)
        for i, (topic, heading, body) in enumerate(text.sections)
    ]
    return Reading(chronicle, scope, text.values, clock.now(), True, sections)


def default_byline(unit: Unit) -> str:
    return f"{unit.name}供稿"


def scope_of(
    unit: Unit, incident: Incident | None, first: dt.date | None, last: dt.date | None
) -> Scope:
    """The scope of a new chronicle: an incident's days (to `last` if given), or a range."""
    if incident is not None:
        return Scope.of_incident(incident, unit, last=last)
    today = clock.today()
    return Scope(unit=unit, first=first or today, last=last or today)


def counted_at_said(moment: dt.datetime) -> str:
    local = timezone.localtime(moment, clock.BEIJING)
    return f"{local.year}年{local.month}月{local.day}日{local.hour}:{local.minute:02d}"
