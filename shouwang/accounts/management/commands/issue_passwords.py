from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from shouwang.accounts.actions import issue_passwords
from shouwang.accounts.models import PasswordIssue
from shouwang.accounts.slips import sheet, slips_pdf
from shouwang.people.models import AdminClass, RosterImport, Unit

_M = TypeVar("_M", bound=Model)


class Command(BaseCommand):
    help = (
        "Issue random initial passwords (forced change at the first login, unused ones expire "
        "after INITIAL_PASSWORD_DAYS) to one class, one unit and its sub-units, the people "
        "one roster import created, or everyone who cannot log in yet. Writes the sheet "
        "(FILE.xlsx) and the slips to print (FILE.pdf beside it): they are the only copy of "
        "the passwords, keep them safe and delete them once handed out. People who chose "
        "their own password keep it unless --reset-own is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--class", dest="class_name", metavar="NAME", help="A class (班级).")
        scope.add_argument("--unit", metavar="NAME", help="A unit, with its sub-units.")
        scope.add_argument(
            "--import", dest="import_id", type=int, metavar="ID", help="A roster import's id."
        )
        scope.add_argument(
            "--all-new",
            action="store_true",
            help="Everyone with no login, or whose initial password expired unused.",
        )
        parser.add_argument(
            "--reset-own",
            action="store_true",
            help="Also replace passwords people have chosen themselves.",
        )
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
        parser.add_argument(
            "--login-url",
            default="",
            help="The address printed on the slips (default: SITE_URL's login page).",
        )

    def handle(
        self,
        *args: Any,
        class_name: str | None,
        unit: str | None,
        import_id: int | None,
        all_new: bool,
        reset_own: bool,
        out: Path,
        login_url: str,
        **o: Any,
    ) -> None:
        if out.suffix.lower() != ".xlsx":
            raise CommandError("--out must name an .xlsx file; the slips go beside it as .pdf")
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent}: no such folder")
        if all_new and reset_own:
            raise CommandError("--all-new reaches only people without a password of their own")
        login_url = login_url or (
            settings.SITE_URL + reverse("accounts:login") if settings.SITE_URL else ""
        )
        if not login_url:
            raise CommandError(
                "Set SITE_URL (e.g. https://shouwang.example.edu.cn) or pass --login-url: "
                "it is printed on the slips."
            )
        issue = PasswordIssue(reset_own=reset_own, login_url=login_url)
        if class_name:
            issue.scope = PasswordIssue.Scope.CLASS
            issue.admin_class = self._one(AdminClass.objects.filter(name=class_name), class_name)
        elif unit:
            issue.scope = PasswordIssue.Scope.UNIT
            issue.unit = self._one(Unit.objects.filter(name=unit), unit)
        elif import_id is not None:
            issue.scope = PasswordIssue.Scope.IMPORT
            issue.roster_import = self._one(RosterImport.objects.filter(pk=import_id), import_id)
        else:
            issue.scope = PasswordIssue.Scope.ALL_NEW
        issue.status = PasswordIssue.Status.RUNNING
        issue.save()
        issued = issue_passwords(issue, acting_user=None)
        pdf = out.with_suffix(".pdf")
        for path, data in (
            (out, sheet(issued.slips, login_url, issued.expires_at)),
            (pdf, slips_pdf(issued.slips, login_url, issued.expires_at)),
        ):
            path.write_bytes(data)
            path.chmod(0o600)
        # Written to the operator's own files: nothing waits on the server.
        issue.status = PasswordIssue.Status.DONE
        issue.finished_at = issue.files_deleted_at = timezone.now()
        issue.save(update_fields=["status", "finished_at", "files_deleted_at"])
        self.stdout.write(
            f"issued {issue.issued} initial passwords; {issue.kept_own} kept the password "
            f"they chose; wrote {out} and {pdf}"
        )
        if issue.name_taken:
            self.stderr.write(
                f"{issue.name_taken} got no login: another login already has their number "
                "as its name (rename it in /admin/, then issue again)"
            )

    def _one(self, queryset: QuerySet[_M], name: str | int) -> _M:
        found = list(queryset[:2])
        if not found:
            raise CommandError(f"{name}: not found")
        if len(found) > 1:
            raise CommandError(
                f"{name}: more than one; units of the same name sit under "
                "different parents, issue for the parent or by class"
            )
        return found[0]
