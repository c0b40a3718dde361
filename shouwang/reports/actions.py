"""Chronicle workflows: draft from the data, edit the prose, publish on the
bulletin, count a published chronicle's figures again, record an export.

Each is atomic and audited. Publishing freezes every figure with the moment
it was counted (`Chronicle.figures`, `counted_at`) and the chronicle's last
day; publishing again rewrites the same article with the prose as edited
since and the figures as frozen; `refresh` counts the frozen figures again
(and rewrites the article, if published).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shouwang.bulletin import actions as bulletin
from shouwang.bulletin.models import Article, Section
from shouwang.core import audit
from shouwang.lib import clock

from . import chronicle as drafting
from .audit import ChronicleEvent
from .models import Chronicle, ChronicleSection

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.incidents.models import Incident
    from shouwang.people.models import Unit

# The bulletin's column the chronicle goes to (党建动态), as the site names it.
PARTY_SLUG = "party"
PARTY_NAME = "党建动态"


@transaction.atomic
def draft(
    *,
    unit: Unit,
    incident: Incident | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Chronicle:
    """Draft the chronicle of an incident (or of the days `first`..`last`) for a
    college: its sections in the seed's order, with the figures of now."""
    scope = drafting.scope_of(unit, incident, first, last)
    text = drafting.draft(scope)
    now = clock.now()
    chronicle = Chronicle.objects.create(
        unit=unit,
        incident=incident,
        first=scope.first,
        # An incident's chronicle runs on with it until published.
        last=last if incident is not None else scope.last,
        title=text.title,
        byline=drafting.default_byline(unit),
        lead=text.lead,
        created_by=acting_user,
        created_at=now,
        changed_at=now,
    )
    ChronicleSection.objects.bulk_create(
        ChronicleSection(chronicle=chronicle, topic=topic, position=i, heading=heading, text=body)
        for i, (topic, heading, body) in enumerate(text.sections)
    )
    audit.record(
        ChronicleEvent.DRAFTED,
        chronicle,
        acting_user=acting_user,
        request=request,
        incident=incident.pk if incident else None,
        first=scope.first.isoformat(),
        last=scope.last.isoformat(),
    )
    return chronicle


def _check(texts: list[str]) -> None:
    errors = [problem for text in texts for problem in drafting.problems(text)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def edit(
    chronicle: Chronicle,
    *,
    title: str,
    byline: str,
    lead: str,
    sections: dict[str, tuple[str, str]],
    acting_user: User,
    request: HttpRequest | None = None,
) -> Chronicle:
    """Change the prose: the title, the byline, the opening paragraph, and each
    section's (heading, text) by topic. The markers stay markers; a marker of
    no figure is refused (ValidationError). A published chronicle's article
    keeps its text until it is published again."""
    _check([lead, *(text for _, text in sections.values())])
    chronicle.title, chronicle.byline, chronicle.lead = title, byline, lead
    chronicle.changed_at = clock.now()
    chronicle.save(update_fields=["title", "byline", "lead", "changed_at"])
    changed = []
    for section in chronicle.sections.all():
        if section.topic not in sections:
            continue
        heading, text = sections[section.topic]
        if (heading, text) != (section.heading, section.text):
            section.heading, section.text = heading, text
            changed.append(section)
    ChronicleSection.objects.bulk_update(changed, ["heading", "text"])
    audit.record(
        ChronicleEvent.EDITED,
        chronicle,
        acting_user=acting_user,
        request=request,
        sections=[section.topic for section in changed],
    )
    return chronicle


def _freeze(chronicle: Chronicle) -> None:
    """Count every figure now and keep them, with the moment and the last day."""
    scope = chronicle.scope()
    chronicle.figures = drafting.count(scope)
    chronicle.counted_at = clock.now()
    chronicle.last = scope.last


def _write_article(chronicle: Chronicle, *, acting_user: User) -> Article:
    title, body, source = chronicle.title, drafting.read(chronicle).body(), chronicle.byline
    article = chronicle.article
    if article is None:
        article = bulletin.save_article(
            None,
            section=Section.find_or_make(PARTY_SLUG, PARTY_NAME, position=2),
            title=title,
            body=body,
            source=source,
            acting_user=acting_user,
        )
    elif (article.title, article.body, article.source) != (title, body, source):
        article = bulletin.save_article(
            article, title=title, body=body, source=source, acting_user=acting_user
        )
    if not article.is_public:
        article = bulletin.publish_article(article, acting_user=acting_user)
    return article


@transaction.atomic
def publish(
    chronicle: Chronicle, *, acting_user: User, request: HttpRequest | None = None
) -> Article:
    """Publish the chronicle on the bulletin's 党建动态, its figures frozen
    now; or, published before, rewrite the same article with the prose of now."""
    chronicle = Chronicle.objects.select_for_update().get(pk=chronicle.pk)
    first_time = not chronicle.is_published
    if first_time:
        _freeze(chronicle)
        chronicle.status = Chronicle.Status.PUBLISHED
        chronicle.published_at = clock.now()
    article = _write_article(chronicle, acting_user=acting_user)
    chronicle.article = article
    chronicle.save(
        update_fields=["figures", "counted_at", "last", "status", "published_at", "article"]
    )
    audit.record(
        ChronicleEvent.PUBLISHED,
        chronicle,
        acting_user=acting_user,
        request=request,
        article=article.pk,
        first_time=first_time,
        counted_at=chronicle.counted_at.isoformat() if chronicle.counted_at else None,
    )
    return article


@transaction.atomic
def refresh(
    chronicle: Chronicle, *, acting_user: User, request: HttpRequest | None = None
) -> Chronicle:
    """Count a published chronicle's figures again now, over the same days, and
    rewrite its article with them. A draft's figures are counted at every
    reading: there is nothing to refresh (ValidationError)."""
    chronicle = Chronicle.objects.select_for_update().get(pk=chronicle.pk)
    if not chronicle.is_published:
        raise ValidationError(
            _("A draft's figures are counted whenever it is read: there is nothing to refresh.")
        )
    before = chronicle.figures
    _freeze(chronicle)
    chronicle.article = _write_article(chronicle, acting_user=acting_user)
    chronicle.save(update_fields=["figures", "counted_at", "last", "article"])
    audit.record(
        ChronicleEvent.REFRESHED,
        chronicle,
        acting_user=acting_user,
        request=request,
        changed=sorted(key for key, value in chronicle.figures.items() if before.get(key) != value),
    )
    return chronicle


def record_export(
    chronicle: Chronicle, kind: str, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Log that the chronicle was exported (as `kind`: docx, pdf)."""
    audit.record(
        ChronicleEvent.EXPORTED, chronicle, acting_user=acting_user, request=request, format=kind
    )
