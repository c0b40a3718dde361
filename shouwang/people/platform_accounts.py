"""People's accounts on the workplace platforms that notify's personal channels
use (企业微信应用消息, 钉钉工作通知): checking an account, and the accounts sheet
(账号对照表) that sets them for many people by number.

The roster takes the same accounts as optional columns; both follow the
roster's rule: a blank cell states nothing and leaves the stored account alone.
An account belongs to one person (a unique constraint on each): a sheet that
gives one to two people, or to someone while another holds it, is refused row
by row before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core import audit
from shouwang.core.importing import (
    Check,
    CheckWarning,
    Column,
    Columns,
    Header,
    Importer,
    ParsedRow,
    Progress,
    RowError,
    RowWarning,
)
from shouwang.lib import clock
from shouwang.lib.spreadsheets import SpreadsheetError

from .audit import PeopleEvent
from .models import Person, PlatformAccountImport

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# The fields, as a sheet's columns name them, with the platform each belongs to.
FIELDS = ("wecom_userid", "dingtalk_userid")
PLATFORMS = {"wecom_userid": gettext_lazy("WeCom"), "dingtalk_userid": gettext_lazy("DingTalk")}
MAX_LENGTH = 64

# The headers an export writes first, then those the platforms' own exports and offices use.
WECOM_COLUMN = Column(
    "wecom_userid",
    gettext_lazy("WeCom account"),
    ("企业微信账号", "企业微信UserID", "企业微信ID", "企微账号", "wecom_userid"),
)
DINGTALK_COLUMN = Column(
    "dingtalk_userid",
    gettext_lazy("DingTalk account"),
    ("钉钉账号", "钉钉UserID", "钉钉ID", "dingtalk_userid"),
)

# WeCom: 1 to 64 letters, digits and _-@., starting with a letter or a digit.
# DingTalk's ids are looser (some carry other signs); neither may hold a space,
# nor the separators of a request's recipient list (| and ,).
_ACCOUNT = {
    "wecom_userid": re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$"),
    "dingtalk_userid": re.compile(r"^[^\s|,，]+$"),
}


def account_error(field: str, value: str) -> str | None:
    """Why `value` cannot be a person's account in `field`, or None."""
    if len(value) > MAX_LENGTH:
        return _("longer than %(limit)d characters") % {"limit": MAX_LENGTH}
    if not _ACCOUNT[field].match(value):
        return _("“%(value)s” is not a %(platform)s account") % {
            "value": value,
            "platform": PLATFORMS[field],
        }
    return None


class AccountHolders:
    """Who holds each account now, read once for a whole file, and whom the
    file gave each account to first."""

    def __init__(self) -> None:
        # field -> account -> (number, "name (number)")
        self.stored: dict[str, dict[str, tuple[str, str]]] = {}
        for field in FIELDS:
            people = Person.objects.exclude(**{field: ""}).values_list(field, "number", "name")
            self.stored[field] = {
                account: (number, f"{name} ({number})") for account, number, name in people
            }
        # field -> account -> (number, row)
        self.in_file: dict[str, dict[str, tuple[str, int]]] = {field: {} for field in FIELDS}

    def conflict(self, field: str, account: str, number: str, row: int) -> str | None:
        """Why `number` cannot have `account`: an earlier row of the file gives
        it to someone else, or someone else holds it. None if it may."""
        first = self.in_file[field].setdefault(account, (number, row))
        if first[0] != number:
            return _("the same %(platform)s account as row %(row)d") % {
                "platform": PLATFORMS[field],
                "row": first[1],
            }
        holder = self.stored[field].get(account)
        if holder is not None and holder[0] != number:
            return _("already the %(platform)s account of %(person)s") % {
                "platform": PLATFORMS[field],
                "person": holder[1],
            }
        return None


def parse_accounts(
    row_number: int,
    number: str,
    values: dict[str, str],
    holders: AccountHolders,
    errors: list[RowError],
) -> dict[str, str]:
    """The accounts a row states (a blank cell states nothing), each checked;
    its problems go to `errors`."""
    found = {}
    for field in FIELDS:
        account = values.get(field, "").strip()
        if not account:
            continue
        reason = account_error(field, account) or holders.conflict(
            field, account, number, row_number
        )
        if reason:
            errors.append(RowError(row_number, field, reason))
        else:
            found[field] = account
    return found


# The accounts sheet ------------------------------------------------------------

NUMBER_COLUMN = Column(
    "number",
    gettext_lazy("number"),
    ("学号/工号", "学号", "工号", "学工号", "人员编号", "number"),
)
COLUMNS = Columns(
    NUMBER_COLUMN,
    Column("name", gettext_lazy("name"), ("姓名", "name")),
    WECOM_COLUMN,
    DINGTALK_COLUMN,
    required=("number",),
    no_header=gettext_lazy(
        "no header row with a number column (学号/工号) and an account column "
        "(企业微信账号 or 钉钉账号)"
    ),
)


@dataclass(slots=True)
class AccountRow:
    row: int
    number: str
    accounts: dict[str, str]


class AccountsImporter(Importer[AccountRow]):
    """Rows of a number and accounts, checked against the roster and each other."""

    columns = COLUMNS

    def begin(self, check: Check[AccountRow], header: Header) -> None:
        if not set(FIELDS) & set(header.columns.values()):
            raise SpreadsheetError(str(COLUMNS.no_header))
        self.holders = AccountHolders()
        self.names = dict(Person.objects.values_list("number", "name"))
        self.first_row_of: dict[str, int] = {}

    def parse_row(self, row_number: int, values: dict[str, str]) -> ParsedRow[AccountRow]:
        parsed: ParsedRow[AccountRow] = ParsedRow()
        number = values["number"].replace(" ", "")
        if number not in self.names:
            reason = _("no person with number %(number)s") % {"number": number}
            parsed.errors.append(RowError(row_number, "number", reason))
            return parsed
        if number in self.first_row_of:
            reason = _("duplicate of row %(row)d") % {"row": self.first_row_of[number]}
            parsed.errors.append(RowError(row_number, "number", reason))
            return parsed
        self.first_row_of[number] = row_number
        name = values["name"]
        if name and name.replace(" ", "") != self.names[number].replace(" ", ""):
            # A sheet typed by hand: the number decides, but a mismatch is worth a look.
            text = _("row %(row)d: %(number)s is %(name)s") % {
                "row": row_number,
                "number": number,
                "name": self.names[number],
            }
            parsed.warnings.append(RowWarning(row_number, "other_name", text))
        accounts = parse_accounts(row_number, number, values, self.holders, parsed.errors)
        if not parsed.errors:
            parsed.value = AccountRow(row_number, number, accounts)
            if not accounts:
                parsed.warnings.append(RowWarning(row_number, "no_account", str(row_number)))
        return parsed

    def finish(self, check: Check[AccountRow]) -> None:
        other = check.tally("other_name")
        if other.count:
            check.warnings.append(
                CheckWarning(
                    "other_name",
                    _("Names that differ from the roster's (the number decides): %(rows)s")
                    % {"rows": other.quoted()},
                )
            )
        empty = check.tally("no_account")
        if empty.count:
            check.warnings.append(
                CheckWarning(
                    "no_account",
                    _("Rows that give no account change nothing: %(rows)s")
                    % {"rows": empty.quoted()},
                )
            )


def check_accounts(rows: Iterable[Sequence[Any]], progress: Progress | None = None) -> Check:
    """Validate an accounts sheet; nothing is written."""
    return AccountsImporter().check(rows, progress)


@transaction.atomic
def commit_accounts(
    record: PlatformAccountImport, check: Check[AccountRow], *, acting_user: User | None
) -> dict[str, int]:
    """Set the accounts each valid row states; an account already set is not
    written again, so a second import of the same sheet changes nothing."""
    wanted = {row.number: row.accounts for row in check.rows}
    stored = Person.objects.filter(number__in=list(wanted)).values("pk", "number", "name", *FIELDS)
    changed_people: list[tuple[Person, dict]] = []
    by_fields: dict[tuple[str, ...], list[Person]] = {}
    for person in stored:
        changes = {
            field: [person[field], account]
            for field, account in wanted[person["number"]].items()
            if person[field] != account
        }
        if not changes:
            continue
        values = {field: new for field, (_old, new) in changes.items()}
        by_fields.setdefault(tuple(sorted(values)), []).append(Person(pk=person["pk"], **values))
        entry = Person(pk=person["pk"], number=person["number"], name=person["name"])
        changed_people.append((entry, {"changes": changes, "platform_account_import": record.pk}))
    for fields, people in by_fields.items():
        Person.objects.bulk_update(people, list(fields), batch_size=1000)
    updated = len(changed_people)
    summary: dict[str, Any] = {"updated": updated, "unchanged": len(check.rows) - updated}
    saved = record.store_check(check)
    record.summary = summary
    record.status = PlatformAccountImport.Status.COMMITTED
    record.committed_at = clock.now()
    record.save(update_fields=[*saved, "summary", "status", "committed_at"])
    audit.record(
        PeopleEvent.PLATFORM_ACCOUNTS_COMMITTED, record, acting_user=acting_user, **summary
    )
    audit.record_many(PeopleEvent.PERSON_CHANGED, changed_people, acting_user=acting_user)
    return summary


# The downloadable template's example rows.
EXAMPLE_ROWS = [
    ["2021001", "张三", "zhangsan", "manager4220"],
    ["T0001", "李老师", "lilaoshi", ""],
]
