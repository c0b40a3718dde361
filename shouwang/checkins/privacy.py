"""The privacy notice shown before a person's first check-in (PIPL: health and
whereabouts are sensitive personal information; tell people what is collected,
why, who sees it and when it goes, and record that they accepted).

The recorded version names the text and the incident's retention period
together: the notice promises a deletion date, so a changed `retention_days`
is a changed notice and is accepted again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwang.core import db
from shouwang.incidents.models import Incident
from shouwang.people.models import Person

from .models import PrivacyAcceptance

# Raise this whenever the wording below changes in substance.
NOTICE_VERSION = "1"


@dataclass(frozen=True)
class Notice:
    version: str
    # (heading, text) in reading order: what, why, who, until when, your rights.
    sections: list[tuple[str, str]]


def notice_version(incident: Incident) -> str:
    """ "1-30d": the wording's version and the retention period it promises."""
    return f"{NOTICE_VERSION}-{incident.retention_days}d"


def counsellor_name(person: Person) -> str:
    admin_class = person.admin_class
    counsellor = admin_class.counsellor if admin_class else None
    return counsellor.name if counsellor else ""


def notice_for(person: Person, incident: Incident) -> Notice:
    """The notice as this person reads it: their counsellor named, this incident's deadline."""
    counsellor = counsellor_name(person)
    if counsellor:
        who = _(
            "You; your counsellor, %(counsellor)s; and the college's leaders and "
            "administrators, who see named lists only where the work needs them. "
            "Volunteers and classmates do not see your answers. Each time someone "
            "opens your record, that is logged."
        ) % {"counsellor": counsellor}
    else:
        who = _(
            "You, and the college's leaders and administrators, who see named lists "
            "only where the work needs them. Volunteers and colleagues do not see your "
            "answers. Each time someone opens your record, that is logged."
        )
    deleted = ngettext(
        "%(days)d day after the incident is closed, your daily answers are deleted. "
        "Only counts per class are kept (how many reported, how many were unwell), "
        "with no names.",
        "%(days)d days after the incident is closed, your daily answers are deleted. "
        "Only counts per class are kept (how many reported, how many were unwell), "
        "with no names.",
        incident.retention_days,
    ) % {"days": incident.retention_days}
    return Notice(
        version=notice_version(incident),
        sections=[
            (
                _("What is collected"),
                _(
                    "Once a day: where you are (on campus, at home or elsewhere, with the "
                    "province and city), whether you are well and which symptoms you have, "
                    "your temperature if you give it, whether you had contact with a case or "
                    "stayed in a risk area, a note if you write one, and when you submitted."
                ),
            ),
            (
                _("Why"),
                _(
                    "So that the college knows everyone is safe during “%(incident)s”, can "
                    "help anyone who is unwell or stranded, and can report the counts the "
                    "authorities ask for. For nothing else."
                )
                % {"incident": incident.title},
            ),
            (_("Who sees it"), who),
            (_("When it is deleted"), deleted),
            (
                _("Your rights"),
                _(
                    "You can see today's answers here at any time and correct them. Ask "
                    "your counsellor or the college office about anything in this notice."
                ),
            ),
        ],
    )


def has_accepted(person: Person, incident: Incident) -> bool:
    # Asked on every check-in request: a plain query (core.db says why).
    return db.exists(PrivacyAcceptance, person_id=person.pk, version=notice_version(incident))
