"""What a leave's pass and return look like to the user looking at them:
`{% passage leave request.user as p %}` on the request page and the pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.accounts.models import User
from shouwang.lib import clock
from shouwang.lib.text import mask_mobile

from ..access import may_confirm_back
from ..models import LeaveKind, LeaveRequest

register = template.Library()


@dataclass(frozen=True)
class Passage:
    leave: LeaveRequest
    # A pass exists (approved, not over): its page may be linked.
    has_pass: bool
    # The holder looking at their own pass: the code is theirs to show.
    shows_code: bool
    may_report_back: bool
    may_confirm: bool

    @property
    def on_campus(self) -> bool:
        return self.leave.kind.whereabouts == LeaveKind.Whereabouts.ON_CAMPUS

    @property
    def state(self) -> str:
        """Not yet out, out since, back: in the words of the kind's whereabouts."""
        leave = self.leave
        if leave.back_at is not None:
            return (_("left campus at %(at)s") if self.on_campus else _("back at %(at)s")) % {
                "at": _at(leave.back_at)
            }
        if leave.back_reported_at is not None:
            return _("reported back at %(at)s, to be confirmed") % {
                "at": _at(leave.back_reported_at)
            }
        if leave.left_at is not None:
            return (_("on campus since %(at)s") if self.on_campus else _("out since %(at)s")) % {
                "at": _at(leave.left_at)
            }
        return _("not yet on campus") if self.on_campus else _("not yet out")

    @property
    def next_scan(self) -> str:
        """What the gate's next scan records."""
        if self.leave.left_at is None:
            return _("the entry") if self.on_campus else _("the exit")
        return _("the departure") if self.on_campus else _("the return")


def _at(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def passage_of(leave: LeaveRequest, user: User, now: dt.datetime | None = None) -> Passage:
    now = now or clock.now()
    approved = leave.in_effect and leave.back_at is None
    # A leave that ended before its holder went out is over: no code opens the gate.
    has_pass = approved and not (leave.left_at is None and now >= leave.ends_at)
    own = user.person_id is not None and leave.person_id == user.person_id
    return Passage(
        leave=leave,
        has_pass=has_pass,
        shows_code=own and has_pass,
        may_report_back=(
            own and approved and leave.back_reported_at is None and now >= leave.starts_at
        ),
        may_confirm=(
            approved and leave.back_reported_at is not None and may_confirm_back(user, leave)
        ),
    )


@register.simple_tag
def passage(leave: LeaveRequest, user: User) -> Passage:
    return passage_of(leave, user)


@register.filter
def masked_phone(phone: str) -> str:
    """A contact's phone in a list: recognisable, not dialable."""
    return mask_mobile(phone) if phone else ""
