"""The public disclosure (捐赠公示) of a donation: written from the ledger.

`text` reads the donation's trace and writes a bulletin article's body: the
donor as they wished to be named (or 匿名), when it was received, the items
and quantities in the units people say, where they went by unit, team and
purpose (never a person's name), what was written off, what remains and
where, and the moment the figures were read. `publish` puts it on the
bulletin's notices (通知公告) the first time; `refresh` rewrites each
published disclosure whose figures changed, and runs after every change of
stock of a donation's batches (`actions._changed` → `tasks.refresh_disclosures`).

The text is written in the site's language whoever asks for it, so that a
refresh run by a worker and a publication asked for from an English page
write the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shouwang.bulletin import actions as bulletin
from shouwang.bulletin.models import Article, Section
from shouwang.core import audit
from shouwang.lib import clock

from .audit import SuppliesEvent
from .models import Donation
from .tracing import LineTrace, Trace, trace, traces

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# The bulletin's section for notices: where the demo and a college's site keep 通知公告.
NOTICES_SLUG = "notices"
NOTICES_NAME = "通知公告"
# The paragraph that stamps the time the figures were read: the last one.
PARAGRAPH = "\n\n"


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment, clock.BEIJING), "DATE_FORMAT")


def _line(line: LineTrace) -> str:
    """One item's paragraph: received, issued to whom for what, lost, remaining."""
    sep = pgettext("enumeration", "; ")
    parts = [
        _("issued to %(recipient)s for %(purpose)s: %(quantity)s")
        % {"recipient": flow.to, "purpose": flow.purpose, "quantity": flow.said}
        if flow.purpose
        else _("issued to %(recipient)s: %(quantity)s")
        % {"recipient": flow.to, "quantity": flow.said}
        for flow in line.issued
    ]
    parts += [
        _("written off (%(cause)s): %(quantity)s") % {"cause": flow.to, "quantity": flow.said}
        for flow in line.written_off
    ]
    if line.adjusted:
        parts.append(
            _("adjusted after stocktakes: %(quantity)s") % {"quantity": line.adjusted_said}
        )
    if not line.issued:
        parts.append(_("none issued yet"))
    stores = pgettext("enumeration", ", ").join(
        f"{held.store} {held.said}" for held in line.remains
    )
    parts.append(
        _("remaining: %(quantity)s (%(stores)s)")
        % {"quantity": line.remaining_said, "stores": stores}
        if line.remains
        else _("nothing remains")
    )
    return _("%(item)s, %(received)s received: %(flows)s.") % {
        "item": line.line.item.name,
        "received": line.received_said,
        "flows": sep.join(parts),
    }


def _figures(traced: Trace) -> str:
    """Every paragraph but the time stamp."""
    donation = traced.donation
    received = [line for line in traced.lines if line.received]
    paragraphs = [
        _("Donor: %(donor)s") % {"donor": donation.public_donor},
        _("Received on %(day)s, into %(store)s (%(unit)s).")
        % {
            "day": _day(donation.received_at) if donation.received_at else "",
            "store": donation.store.name if donation.store else "",
            "unit": donation.unit.name,
        },
        _("Items received: %(items)s.")
        % {
            "items": "、".join(f"{line.line.item.name}{line.received_said}" for line in received)
            or _("none")
        },
        _("Where they went, from the supplies ledger:"),
        *(_line(line) for line in received),
    ]
    return PARAGRAPH.join(paragraphs)


def _stamp(moment: dt.datetime) -> str:
    return _("Figures read from the supplies ledger at %(time)s.") % {
        "time": date_format(timezone.localtime(moment, clock.BEIJING), "DATETIME_FORMAT")
    }


def _text(traced: Trace) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _figures(traced) + PARAGRAPH + _stamp(traced.read_at)


def _without_stamp(body: str) -> str:
    return body.rsplit(PARAGRAPH, 1)[0]


def text(donation: Donation) -> str:
    """The disclosure's body (plain text, paragraphs between blank lines), read
    from the ledger now."""
    return _text(trace(donation))


def title(donation: Donation) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        day = donation.received_at or donation.pledged_at
        return (
            _("Donation disclosure: %(donor)s, %(day)s")
            % {
                "donor": donation.public_donor,
                "day": date_format(timezone.localtime(day, clock.BEIJING), _("N j")),
            }
        )[: Article._meta.get_field("title").max_length]


def notices_section() -> Section:
    """The bulletin's section for notices, made if the site has none yet."""
    return bulletin.section(NOTICES_SLUG, NOTICES_NAME, position=1)


@transaction.atomic
def publish(donation: Donation, *, acting_user: User) -> Article:
    """Publish the donation's disclosure on the bulletin's notices, or bring the
    one published before up to date and public again; only a received donation."""
    locked = (
        Donation.objects.select_for_update(of=("self",))
        .select_related("donor__person", "unit", "store", "disclosure")
        .get(pk=donation.pk)
    )
    if locked.status != Donation.Status.RECEIVED:
        raise ValidationError(
            _("Only a donation counted in can be disclosed: its figures come from the ledger."),
            code="status",
        )
    body = text(locked)
    article = locked.disclosure
    if article is None:
        article = bulletin.save_article(
            None,
            section=notices_section(),
            title=title(locked),
            body=body,
            source=locked.unit.name,
            acting_user=acting_user,
        )
        Donation.objects.filter(pk=locked.pk).update(disclosure=article)
    elif _without_stamp(article.body) != _without_stamp(body):
        article = bulletin.save_article(article, body=body, acting_user=acting_user)
    if not article.is_public:
        article = bulletin.publish_article(article, acting_user=acting_user)
    audit.record(
        SuppliesEvent.DISCLOSURE_PUBLISHED, locked, acting_user=acting_user, article=article.pk
    )
    donation.disclosure = article
    return article


def refresh(donation_ids: Iterable[int]) -> int:
    """Rewrite the published disclosures of these donations from the ledger,
    where the figures changed (the time they were read alone is no change),
    as their author; how many changed."""
    donations = (
        Donation.objects.filter(pk__in=list(donation_ids), disclosure__isnull=False)
        .select_related("donor__person", "unit", "store", "received_by", "disclosure__author")
        .order_by("pk")
    )
    changed = 0
    for traced in traces(donations).values():
        donation = traced.donation
        article = donation.disclosure
        if article is None:
            continue
        body = _text(traced)
        if _without_stamp(article.body) == _without_stamp(body):
            continue
        writer = article.author or donation.received_by
        bulletin.save_article(article, body=body, acting_user=writer)  # type: ignore[arg-type]
        changed += 1
    return changed
