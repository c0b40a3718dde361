from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.jobs import start_job

from . import sealed
from .access import get_issue_for_user, issues_for_user, require_issuer
from .audit import AccountEvent
from .forms import IssueForm, LoginForm, NewPasswordForm
from .models import PasswordIssue
from .tasks import file_path, issue_passwords_task

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # set_password hashes with the default hasher: an initial password's
        # cheap hash is replaced here (accounts.hashers).
        user = form.save(commit=False)
        user.must_change_password = False
        user.initial_password_expires_at = None
        user.save(update_fields=["password", "must_change_password", "initial_password_expires_at"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "home:home"
        return redirect(target)
    return render(request, "accounts/password_change.html", {"form": form})


def login_url(request: HttpRequest) -> str:
    """The address printed on the slips: SITE_URL's, or the one this request came to."""
    path = reverse("accounts:login")
    return settings.SITE_URL + path if settings.SITE_URL else request.build_absolute_uri(path)


def key_cookie(issue: PasswordIssue) -> str:
    return f"issue_key_{issue.pk}"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def issue_list(request: AuthedRequest) -> HttpResponse:
    require_issuer(request)
    initial = {}
    if request.GET.get("import", "").isdigit():
        initial = {"scope": PasswordIssue.Scope.IMPORT, "roster_import": request.GET["import"]}
    form = IssueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        private_key, public_key = sealed.new_key_pair()
        data = form.cleaned_data
        issue = PasswordIssue.objects.create(
            scope=data["scope"],
            admin_class=data.get("admin_class") if data["scope"] == "class" else None,
            unit=data.get("unit") if data["scope"] == "unit" else None,
            roster_import=data.get("roster_import") if data["scope"] == "import" else None,
            reset_own=data["reset_own"],
            issued_by=request.user,
            login_url=login_url(request),
            public_key=public_key,
        )
        start_job(issue_passwords_task, subject=issue, started_by=request.user)
        detail = reverse("passwords:issue_detail", args=[issue.pk])
        response = redirect(detail)
        # The key that opens the files lives in this browser only (accounts.sealed).
        response.set_cookie(
            key_cookie(issue),
            private_key,
            max_age=settings.ISSUED_FILES_HOURS * 3600,
            path=detail,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
        return response
    issues = issues_for_user(request.user).select_related(
        "issued_by", "admin_class", "unit", "roster_import"
    )[:20]
    context = {
        "form": form,
        "issues": issues,
        "initial_password_days": settings.INITIAL_PASSWORD_DAYS,
    }
    return render(request, "accounts/issue_list.html", context)


@login_required
@never_cache
@require_GET
def issue_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_issuer(request)
    issue = get_issue_for_user(request, pk)
    template = "accounts/issue_detail.html#status" if request.htmx else "accounts/issue_detail.html"
    context = {
        "issue": issue,
        "job": issue.job,
        "is_issuer": issue.issued_by_id == request.user.pk,
        "has_key": key_cookie(issue) in request.COOKIES,
    }
    return render(request, template, context)


DOWNLOADED = {
    "sheet": AccountEvent.PASSWORD_SHEET_DOWNLOADED,
    "slips": AccountEvent.PASSWORD_SLIPS_DOWNLOADED,
}


def _download(
    request: AuthedRequest, pk: int, which: str, filename: str, content_type: str
) -> HttpResponse:
    require_issuer(request)
    issue = get_issue_for_user(request, pk)
    if issue.issued_by_id != request.user.pk:
        raise PermissionDenied
    detail = redirect("passwords:issue_detail", pk=issue.pk)
    path = file_path(issue, which)
    if not path.exists():
        messages.error(request, _("This file has been downloaded already or has expired."))
        return detail
    try:
        data = sealed.unseal(path.read_bytes(), request.COOKIES.get(key_cookie(issue), ""))
    except sealed.SealError:
        messages.error(
            request,
            _("Only the browser that issued these passwords can open the files. Issue them again."),
        )
        return detail
    # Claimed: of two tabs downloading at once, one gets the file.
    field = f"{which}_downloaded_at"
    if not PasswordIssue.objects.filter(pk=issue.pk, **{field: None}).update(
        **{field: timezone.now()}
    ):
        messages.error(request, _("This file has been downloaded already or has expired."))
        return detail
    path.unlink(missing_ok=True)
    audit.record(DOWNLOADED[which], issue, acting_user=request.user, request=request)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    issue.refresh_from_db(fields=["sheet_downloaded_at", "slips_downloaded_at"])
    if issue.sheet_downloaded_at and issue.slips_downloaded_at:
        PasswordIssue.objects.filter(pk=issue.pk).update(files_deleted_at=timezone.now())
        response.delete_cookie(key_cookie(issue), path=detail.url, samesite="Strict")
    return response


@login_required
@never_cache
@require_POST
def issue_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    return _download(
        request,
        pk,
        "sheet",
        f"initial-passwords-{pk}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@never_cache
@require_POST
def issue_slips(request: AuthedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "slips", f"initial-passwords-{pk}.pdf", "application/pdf")
