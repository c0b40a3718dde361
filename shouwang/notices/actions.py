"""Writing, publishing, reading, acknowledging and reminding.

Publishing writes every receipt in one statement inside the request, and
leaves the messages (the inbox and the configured channels) to a task: the
author's click costs the same for a class of 30 and a university of 30,000.
Every message has a key (`notice:…`, `notice-reminder:…`, `notice-auto:…`), so
a task that runs twice, or is run again after its worker died, sends each
person each message once. The sending is a resumable background job
(`shouwang.core.jobs`) over the recipients in order of person: each batch
commits with the last person it reached, and a run resumed after its worker
died starts after that person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Manager, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.core.db import insert_for_each
from shouwang.core.jobs import Progress, start_job
from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import Person

from .audience import Audience, reach_of
from .audit import NoticeEvent
from .message_kinds import NOTICE
from .models import Notice, NoticeAttachment, Receipt, Reminder

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A second 催办 within this time would only annoy: the button says when the last went out.
REMIND_INTERVAL = dt.timedelta(minutes=10)
# Recipients sent to per transaction, each batch with its checkpoint.
SEND_BATCH = 500


class NoticeError(Exception):
    pass


class AlreadyPublished(NoticeError):
    pass


class NobodyInAudience(NoticeError):
    pass


class RemindedRecently(NoticeError):
    def __init__(self, reminder: Reminder):
        super().__init__(reminder)
        self.reminder = reminder


@transaction.atomic
def write_notice(
    *,
    title: str,
    body: str,
    audience: Audience,
    requires_acknowledgement: bool,
    deadline: dt.datetime | None,
    files: Sequence[UploadedFile] = (),
    acting_user: User,
    request: HttpRequest | None = None,
) -> Notice:
    """A draft: nothing reaches anyone until it is published.

    Raises ValidationError, storing nothing, for an unreadable image or files
    past the author's quota."""
    notice = Notice.objects.create(
        author=acting_user,
        title=title,
        body=body,
        audience=audience.to_json(),
        requires_acknowledgement=requires_acknowledgement,
        deadline=deadline,
    )
    NoticeAttachment.store(files, uploaded_by=acting_user, notice=notice)
    audit.record(
        NoticeEvent.WRITTEN,
        notice,
        acting_user=acting_user,
        request=request,
        attachments=len(files),
    )
    return notice


def recipients_of(notice: Notice) -> QuerySet[Person]:
    """Whom the notice would reach if published now: its audience within its author's reach."""
    return Audience.from_json(notice.audience).resolve(reach_of(notice.author))


def publish(notice: Notice, *, acting_user: User, request: HttpRequest | None = None) -> int:
    """Write one receipt per recipient and have the messages sent; returns how many."""
    with transaction.atomic():
        now = clock.now()
        # The conditional UPDATE is what lets one of two clicks publish.
        if not Notice.objects.filter(pk=notice.pk, status=Notice.Status.DRAFT).update(
            status=Notice.Status.PUBLISHED, published_at=now
        ):
            raise AlreadyPublished
        count = insert_for_each(
            Receipt,
            recipients_of(notice),
            "person",
            {"notice": notice.pk},
            unless_conflict_on=("notice", "person"),
        )
        if not count:
            raise NobodyInAudience  # rolls the publication back
        audit.record(
            NoticeEvent.PUBLISHED,
            notice,
            acting_user=acting_user,
            request=request,
            recipients=count,
        )
        from .tasks import deliver_notice  # the task module imports this one

        start_job(deliver_notice, subject=notice, started_by=acting_user)
    notice.status, notice.published_at = Notice.Status.PUBLISHED, now
    return count


def message_key_prefix(notice: Notice) -> str:
    return f"notice:{notice.pk}:"


def message_key(notice: Notice, person_id: int) -> str:
    """The key of the notice's own message to a person (send_notice_messages)."""
    return f"{message_key_prefix(notice)}{person_id}"


def send_notice_messages(notice: Notice, progress: Progress | None = None) -> int:
    """The notice in every recipient's inbox and through the channels; returns how many were new."""
    return _send(
        notice,
        notice.receipts,
        kind=NOTICE,
        title=notice.title,
        body=Truncator(notice.body).chars(140),
        key_prefix=message_key_prefix(notice),
        progress=progress,
    )


def _send(
    notice: Notice,
    receipts: QuerySet[Receipt] | Manager[Receipt],
    *,
    kind: str,
    title: str,
    body: str,
    key_prefix: str,
    progress: Progress | None = None,
) -> int:
    """One message, linking to the notice, to the person of each receipt, keyed
    `key_prefix` + person so that a repeat run sends nobody anything twice.

    In batches by person, each committed with its checkpoint: a run resumed
    from `progress`'s job starts after the last person a committed batch reached."""
    now = clock.now()
    link = notice.get_absolute_url()
    people = receipts.order_by("person_id").values_list("person_id", flat=True)
    after = progress.job.checkpoint.get("after", 0) if progress else 0
    done = people.filter(person_id__lte=after).count()
    if progress:
        progress(done, people.count())
    sent = 0
    while batch := list(people.filter(person_id__gt=after)[:SEND_BATCH]):
        with transaction.atomic():
            sent += deliver(
                Message(
                    recipient_id=person_id,
                    kind=kind,
                    title=title,
                    body=body,
                    link=link,
                    key=f"{key_prefix}{person_id}",
                    created_at=now,
                )
                for person_id in batch
            )
            after, done = batch[-1], done + len(batch)
            if progress:
                progress.checkpoint(done, after=after)
    return sent


def read(notice: Notice, person_id: int) -> None:
    """Opening the notice marks the receipt, and its inbox message, read."""
    now = clock.now()
    Receipt.objects.filter(notice=notice, person_id=person_id, read_at__isnull=True).update(
        read_at=now
    )
    Message.objects.filter(
        recipient_id=person_id, key=message_key(notice, person_id), read_at__isnull=True
    ).update(read_at=now)


def acknowledge(notice: Notice, person_id: int) -> Receipt:
    """Record "收到" once, with its time; tapping again changes nothing."""
    now = clock.now()
    Receipt.objects.filter(notice=notice, person_id=person_id, acknowledged_at__isnull=True).update(
        acknowledged_at=now, read_at=Coalesce("read_at", now)
    )
    return Receipt.objects.select_related("notice").get(notice=notice, person_id=person_id)


def outstanding(notice: Notice) -> QuerySet[Receipt]:
    """The receipts still waiting: not acknowledged, or for a notice that asks
    for no acknowledgement, not read."""
    if notice.requires_acknowledgement:
        return notice.receipts.filter(acknowledged_at__isnull=True)
    return notice.receipts.filter(read_at__isnull=True)


def remind(notice: Notice, *, acting_user: User, request: HttpRequest | None = None) -> Reminder:
    """催办: remind only those still outstanding; refused within REMIND_INTERVAL of the last."""
    with transaction.atomic():
        # The lock makes two clicks at once one reminder (SQLite's write lock does the same).
        Notice.objects.select_for_update().filter(pk=notice.pk).first()
        last = notice.reminders.filter(
            automatic=False, sent_at__gt=clock.now() - REMIND_INTERVAL
        ).first()
        if last:
            raise RemindedRecently(last)
        reminder = Reminder.objects.create(
            notice=notice, sent_by=acting_user, recipients=outstanding(notice).count()
        )
        audit.record(
            NoticeEvent.REMINDED,
            notice,
            acting_user=acting_user,
            request=request,
            recipients=reminder.recipients,
        )
        from .tasks import send_reminder

        start_job(send_reminder, subject=reminder, started_by=acting_user)
    return reminder


def send_reminder_messages(
    reminder: Reminder, key_prefix: str | None = None, progress: Progress | None = None
) -> int:
    """The reminder to those still outstanding when it is sent; returns how many were new."""
    notice = reminder.notice
    if notice.deadline:
        title = _("Reminder: %(title)s (due %(deadline)s)") % {
            "title": notice.title,
            "deadline": date_format(timezone.localtime(notice.deadline), "SHORT_DATETIME_FORMAT"),
        }
    else:
        title = _("Reminder: %(title)s") % {"title": notice.title}
    body = (
        _("Please read the notice and tap “Received”.")
        if notice.requires_acknowledgement
        else _("Please read the notice.")
    )
    return _send(
        notice,
        outstanding(notice),
        kind=REMINDER,
        title=title,
        body=body,
        key_prefix=key_prefix or f"notice-reminder:{reminder.pk}:",
        progress=progress,
    )


def send_automatic_reminders(now: dt.datetime | None = None) -> int:
    """Before each deadline (NOTICE_REMIND_BEFORE), remind everyone who has not
    acknowledged, once: a repeat run sends only what a dead worker left out."""
    now = now or clock.now()
    due = Notice.objects.filter(
        auto_reminded_at__isnull=True,
        status=Notice.Status.PUBLISHED,
        requires_acknowledgement=True,
        deadline__gt=now,
        deadline__lte=now + settings.NOTICE_REMIND_BEFORE,
    )
    sent = 0
    for notice in due:
        reminder, _created = Reminder.objects.get_or_create(
            notice=notice, automatic=True, defaults={"sent_at": now}
        )
        new = send_reminder_messages(reminder, key_prefix=f"notice-auto:{notice.pk}:")
        # A run after a dead worker's adds only those it left out.
        Reminder.objects.filter(pk=reminder.pk).update(recipients=F("recipients") + new)
        Notice.objects.filter(pk=notice.pk).update(auto_reminded_at=now)
        sent += new
    return sent
