"""An award's certificate (荣誉证书): an A4 page in Chinese for each winner,
naming the student (each member of a team their own page), the activity,
its organiser and the college (with its university), the entry, the prize,
and the day the results became final.

reportlab through `shouwang.lib.pdf`, in the PDF's built-in Song font, as the
donation's certificate (`supplies/certificate.py`) is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.lib import clock
from shouwang.lib.pdf import FONT, a4_canvas, wrap
from shouwang.people.models import Person

from .models import Award


def _text(award: Award, college: str) -> str:
    entry, activity = award.entry, award.activity
    values = {
        "activity": activity.title,
        "organiser": activity.organiser,
        "college": college,
        "title": entry.title,
        "prize": award.get_prize_display(),
    }
    if entry.team is not None:
        values["team"] = entry.team.name
        return (
            _(
                "In %(activity)s, held by %(organiser)s of %(college)s, the entry "
                "“%(title)s” of your team %(team)s won the %(prize)s."
            )
            % values
        )
    return (
        _(
            "In %(activity)s, held by %(organiser)s of %(college)s, your entry "
            "“%(title)s” won the %(prize)s."
        )
        % values
    )


def certificate_pdf(award: Award, people: Sequence[Person]) -> bytes:
    """The certificate, one page for each of `people` (the award's winners).
    The results must be final."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    page_w, page_h = A4
    left, right = 30 * mm, page_w - 30 * mm
    width = right - left
    buffer = io.BytesIO()
    pdf: Any = a4_canvas(buffer, _("Certificate of award"))
    activity = award.activity
    college = activity.unit.signing_name
    day = date_format(
        timezone.localtime(activity.results_final_at or clock.now(), clock.BEIJING),
        "DATE_FORMAT",
    )
    text = _text(award, college)
    for person in people:
        pdf.setLineWidth(2)
        pdf.rect(15 * mm, 15 * mm, page_w - 30 * mm, page_h - 30 * mm)
        pdf.setLineWidth(0.5)
        pdf.rect(18 * mm, 18 * mm, page_w - 36 * mm, page_h - 36 * mm)

        pdf.setFont(FONT, 32)
        pdf.drawCentredString(page_w / 2, page_h - 60 * mm, _("Certificate of award"))

        y = page_h - 90 * mm
        pdf.setFont(FONT, 16)
        pdf.drawString(left, y, _("To %(name)s:") % {"name": person.name})
        y -= 14 * mm
        pdf.setFont(FONT, 14)
        for line in wrap(text, 14, width - 10 * mm):
            pdf.drawString(left + 10 * mm, y, line)
            y -= 9 * mm
        y -= 4 * mm
        pdf.drawString(left + 10 * mm, y, _("This certificate is awarded in recognition."))

        pdf.setFont(FONT, 22)
        pdf.drawCentredString(page_w / 2, 120 * mm, award.get_prize_display())

        pdf.setFont(FONT, 14)
        pdf.drawRightString(right, 70 * mm, college)
        pdf.drawRightString(right, 61 * mm, activity.organiser)
        pdf.drawRightString(right, 52 * mm, day)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
