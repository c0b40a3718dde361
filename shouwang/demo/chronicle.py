"""The seed's article, written by the system: the chronicle (工作纪实) of the
lockdown for 信息学院, drafted from everything the earlier steps recorded,
its title, opening and byline edited as 付琳 gave them, and published on the
bulletin's 党建动态 on the morning of 4月16日, 07:50, when the seed's article
appeared. Its figures (59 teachers, 997 students, 24 teaching classes …)
are the data's, frozen at that moment; none is typed here.

It runs last: the chronicle counts what every other step made.
"""

from __future__ import annotations

from shouwang.accounts.models import Role
from shouwang.bulletin.models import Article
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.reports import actions

from .college import COLLEGE
from .context import Demo

SEED_TITLE = "温暖坚毅,守望花开——信息学院党委抗疫纪实"
# The seed's opening, as its author wrote it: prose with no figure in it.
SEED_LEAD = (
    "2022年的4月初，正是初春的好时节，山财的师生们正翘首以待，期待花开。而并州疫情忽起波澜，"
    "校园防控形势骤然严峻。面对突如其来的疫情，信息学院党委高举党旗，直面挑战，应声而动，"
    "沉着应战，在抗疫大考面前充分发挥了基层党委政治核心作用。"
)
AUTHOR_POST = "团委书记"
DRAFTED_AT = beijing(2022, 4, 15, 20, 30)
EDITED_AT = beijing(2022, 4, 15, 21, 40)
PUBLISHED_AT = beijing(2022, 4, 16, 7, 50)


def publish_chronicle(demo: Demo) -> None:
    if demo.incident is None:
        raise ValueError("open_lockdown must run first")
    leader = demo.user(Role.LEADER)
    college = demo.units[COLLEGE]
    with clock.standing_at(DRAFTED_AT):
        chronicle = actions.draft(unit=college, incident=demo.incident, acting_user=leader)
    with clock.standing_at(EDITED_AT):
        actions.edit(
            chronicle,
            title=SEED_TITLE,
            byline=f"{COLLEGE} {demo.posts[AUTHOR_POST].name}供稿",
            lead=SEED_LEAD,
            sections={},
            acting_user=leader,
        )
    with clock.standing_at(PUBLISHED_AT):
        article = actions.publish(chronicle, acting_user=leader)
    # Read through the first hour and more of the morning, as the typed one was.
    Article.objects.filter(pk=article.pk).update(
        views=demo.rng("chronicle").randint(600, 900),
        created_at=DRAFTED_AT,
        changed_at=PUBLISHED_AT,
        published_at=PUBLISHED_AT,
    )
    type(chronicle).objects.filter(pk=chronicle.pk).update(
        counted_at=PUBLISHED_AT, published_at=PUBLISHED_AT, changed_at=EDITED_AT
    )


CHRONICLE_STEPS = (publish_chronicle,)
