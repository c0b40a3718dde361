"""The overview: open, overdue and solved counts by category, class and
handler, the medians of time to first response and to resolution, and the
oldest open requests. A fixed number of grouped queries, however many rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from .models import HelpRequest

S = HelpRequest.Status


def late_q(moment: dt.datetime) -> Q:
    """Requests past their urgency's response or resolution limit at `moment`:
    unanswered by then past the first, or past the second."""
    late = Q(pk__in=[])
    for urgency, (response, resolution) in settings.HELPDESK_LIMITS.items():
        unanswered = Q(first_response_at__isnull=True) | Q(first_response_at__gt=moment)
        late |= Q(urgency=urgency) & (
            (unanswered & Q(created_at__lt=moment - dt.timedelta(hours=response)))
            | Q(created_at__lt=moment - dt.timedelta(hours=resolution))
        )
    return late


def overdue_q(now: dt.datetime) -> Q:
    """Open requests past their urgency's response or resolution limit, in SQL."""
    return Q(status__in=HelpRequest.OPEN) & late_q(now)


def open_at_q(moment: dt.datetime) -> Q:
    """Requests open at a past `moment`, from their times: submitted by then,
    neither resolved nor closed by then (reopening clears the resolution, so
    a reopened request counts as open all along). At the present moment these
    are the requests whose status is open."""
    return (
        Q(created_at__lte=moment)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gt=moment))
        & (Q(closed_at__isnull=True) | Q(closed_at__gt=moment))
    )


def counts(now: dt.datetime) -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=HelpRequest.OPEN)),
        "overdue": Count("pk", filter=overdue_q(now)),
        "awaiting": Count("pk", filter=Q(status=S.RESOLVED)),
        "confirmed": Count("pk", filter=Q(status=S.CONFIRMED)),
        "closed": Count("pk", filter=Q(status=S.CLOSED)),
    }


def _median_hours(spans: list[dt.timedelta]) -> float | None:
    if not spans:
        return None
    return round(statistics.median(s.total_seconds() for s in spans) / 3600, 1)


@dataclass
class Overview:
    totals: dict
    by_category: list[dict]
    by_class: list[dict]
    by_handler: list[dict]
    median_response_hours: float | None
    median_resolution_hours: float | None
    oldest: list[HelpRequest]


def overview(requests: QuerySet[HelpRequest], now: dt.datetime) -> Overview:
    """Figures over `requests` (the user's scope)."""
    measures = counts(now)
    labels = dict(HelpRequest.Category.choices)
    by_category = [
        {**row, "label": labels.get(row["category"], row["category"])}
        for row in requests.values("category").annotate(**measures).order_by("category")
    ]
    by_class = [
        {**row, "label": row["requester__admin_class__name"]}
        for row in requests.values("requester__admin_class__name")
        .annotate(**measures)
        .order_by("requester__admin_class__name")
    ]
    by_handler = [
        {**row, "label": row["handler__name"]}
        for row in requests.values("handler__name").annotate(**measures).order_by("handler__name")
    ]
    times = list(requests.values_list("created_at", "first_response_at", "resolved_at"))
    response = [first - created for created, first, _ in times if first]
    resolution = [done - created for created, _, done in times if done]
    oldest = list(
        requests.filter(status__in=HelpRequest.OPEN)
        .select_related("requester__admin_class", "handler")
        .order_by("created_at")[:10]
    )
    return Overview(
        totals=requests.aggregate(**measures),
        by_category=by_category,
        by_class=by_class,
        by_handler=by_handler,
        median_response_hours=_median_hours(response),
        median_resolution_hours=_median_hours(resolution),
        oldest=oldest,
    )
