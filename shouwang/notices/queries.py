"""The author's view of a published notice: counts per unit and class, and who
is still outstanding. Each is one query whatever the number of recipients."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from .models import Notice, Receipt


def progress_by_class(notice: Notice) -> list[dict]:
    """Recipients, read and acknowledged per unit and class (staff have no class)."""
    return list(
        notice.receipts.values(
            "person__unit__name", "person__admin_class_id", "person__admin_class__name"
        )
        .annotate(
            recipients=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        )
        .order_by("person__unit__name", "person__admin_class__name")
    )


def waiting_for(person_id: int | None) -> QuerySet[Receipt]:
    """A person's published notices that still wait for their "收到", oldest deadline first."""
    if person_id is None:
        return Receipt.objects.none()
    return (
        Receipt.objects.filter(
            person_id=person_id,
            acknowledged_at__isnull=True,
            notice__status=Notice.Status.PUBLISHED,
            notice__requires_acknowledgement=True,
        )
        .select_related("notice")
        .order_by(F("notice__deadline").asc(nulls_last=True), "-notice__published_at")
    )
