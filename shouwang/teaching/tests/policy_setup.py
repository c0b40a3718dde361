"""Terms, the school calendar, and the timetable and enrolment imports: for
leaders, the teaching office and admins only; an import is its uploader's
(and every admin's)."""

import datetime as dt

from shouwang.core.models import CalendarDay
from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.teaching.models import EnrolmentImport, Term, TimetableImport

# A POST a leader or an admin makes, redirected on success.
MANAGERS_REDIRECTED = expect(403, leader=302, admin=302)


def make_objects(case) -> None:
    case.setup_term = Term.objects.create(
        name="2022-2023-1", first_monday=dt.date(2022, 8, 29), weeks=18
    )
    case.setup_day = CalendarDay.objects.create(
        date=dt.date(2022, 10, 3), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
    )
    checked = TimetableImport.Status.CHECKED
    for model, name in ((TimetableImport, "timetable"), (EnrolmentImport, "enrolment")):
        for uploader in ("leader", "admin"):
            record = model.objects.create(
                term=case.setup_term,
                filename=f"{name}.xlsx",
                uploaded_by=getattr(case, uploader),
                status=checked,
            )
            setattr(case, f"{name}_import_by_{uploader}", record)


def _day(case, persona: str) -> list[int]:
    return [case.setup_term.pk, case.setup_day.pk]


RULES = [
    Rule("teaching:term_list", MANAGERS_ONLY),
    Rule("teaching:term_new", MANAGERS_ONLY),
    Rule(
        "teaching:term_new",
        MANAGERS_REDIRECTED,
        method="post",
        data={"name": "2023-2024-1", "first_monday": "2023-09-04", "weeks": "18"},
    ),
    Rule("teaching:term_edit", MANAGERS_ONLY, target="setup_term"),
    Rule(
        "teaching:term_edit",
        MANAGERS_REDIRECTED,
        method="post",
        target="setup_term",
        data={"name": "2022-2023-1", "first_monday": "2022-08-29", "weeks": "19"},
    ),
    Rule("teaching:calendar_day_new", MANAGERS_ONLY, target="setup_term"),
    Rule(
        "teaching:calendar_day_new",
        MANAGERS_REDIRECTED,
        method="post",
        target="setup_term",
        data={"date": "2022-10-04", "kind": "holiday", "name": "国庆节"},
    ),
    Rule("teaching:calendar_day_delete", MANAGERS_REDIRECTED, method="post", target=_day),
]

for name in ("timetable", "enrolment"):
    RULES += [
        Rule(f"teaching:{name}_import", MANAGERS_ONLY),
        # An upload without a file shows the form again.
        Rule(f"teaching:{name}_import", MANAGERS_ONLY, method="post"),
        Rule(f"teaching:{name}_import_detail", MANAGERS_ONLY, target=f"{name}_import_by_leader"),
        # A leader's imports are their own; an admin's, everyone's.
        Rule(
            f"teaching:{name}_import_detail",
            expect(403, leader=404, admin=200),
            target=f"{name}_import_by_admin",
        ),
        Rule(
            f"teaching:{name}_import_commit",
            MANAGERS_REDIRECTED,
            method="post",
            target=f"{name}_import_by_leader",
        ),
        Rule(
            f"teaching:{name}_import_commit",
            expect(403, leader=404, admin=302),
            method="post",
            target=f"{name}_import_by_admin",
        ),
    ]
