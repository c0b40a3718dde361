from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import User
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.lib.spreadsheets import write_xlsx

from .access import (
    can_reset_password,
    classes_for_user,
    get_person_for_user,
    get_platform_account_import_for_user,
    get_roster_import_for_user,
    people_for_user,
    platform_account_imports_for_user,
    require_platform_accounts_manager,
    require_roster_manager,
    roster_imports_for_user,
    units_for_user,
)
from .actions import create_units
from .audit import PeopleEvent
from .forms import (
    CreateUnitsForm,
    PersonFilter,
    PlatformAccountUploadForm,
    RevealPhoneForm,
    RosterDefaultsForm,
    RosterUploadForm,
)
from .models import PlatformAccountImport, RosterImport
from .platform_accounts import COLUMNS as ACCOUNT_COLUMNS
from .platform_accounts import EXAMPLE_ROWS as ACCOUNT_EXAMPLE_ROWS
from .roster import COLUMNS, EXPORT_HEADERS, export_queryset, export_rows
from .tasks import (
    check_platform_account_import,
    check_roster_import,
    commit_platform_account_import,
    commit_roster_import,
)

PAGE_SIZE = 50


def _filtered_people(request: AuthedRequest) -> PersonFilter:
    people = people_for_user(request.user).select_related("admin_class", "unit")
    return PersonFilter(
        request.GET or None,
        queryset=people,
        classes=classes_for_user(request.user),
        units=units_for_user(request.user),
    )


@login_required
@require_GET
def person_list(request: AuthedRequest) -> HttpResponse:
    person_filter = _filtered_people(request)
    page = Paginator(person_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, {"filter": person_filter, "page": page})


@login_required
@require_GET
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    audit.record(PeopleEvent.PERSON_VIEWED, person, acting_user=request.user, request=request)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "reveal_form": RevealPhoneForm(),
            "can_reset_password": can_reset_password(request.user, person),
        },
    )


@login_required
@require_POST
def person_reveal_phone(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    form = RevealPhoneForm(request.POST)
    if form.is_valid():
        audit.record(
            PeopleEvent.MOBILE_VIEWED,
            person,
            acting_user=request.user,
            request=request,
            reason=form.cleaned_data["reason"],
        )
    context = {"person": person, "reveal_form": form, "revealed": form.is_valid()}
    return render(request, "people/person_detail.html#phone", context)


@login_required
@require_POST
def person_reset_password(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    if not can_reset_password(request.user, person):
        raise PermissionDenied
    with transaction.atomic():
        user, _created = User.objects.get_or_create(
            person=person, defaults={"username": person.number}
        )
        password = user.set_initial_password()
        user.save(update_fields=User.INITIAL_PASSWORD_FIELDS)
        audit.record(
            PeopleEvent.INITIAL_PASSWORD_ISSUED, person, acting_user=request.user, request=request
        )
    return render(request, "people/initial_password.html", {"person": person, "password": password})


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: AuthedRequest) -> HttpResponse:
    require_roster_manager(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = RosterImport.objects.create(
            file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_roster_import, started_by=request.user)
        return redirect("people:roster_import_detail", pk=item.pk)
    imports = roster_imports_for_user(request.user).select_related("uploaded_by")[:20]
    return render(
        request,
        "people/roster_import.html",
        {"form": form, "imports": imports, "columns": COLUMNS.help()},
    )


@login_required
@require_GET
def roster_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roster_manager(request)
    item = get_roster_import_for_user(request, pk)
    errors, more_errors = item.error_preview(COLUMNS)
    template = "people/roster_import_detail.html"
    if request.htmx:
        template += "#status"
    return render(
        request,
        template,
        {
            "item": item,
            "job": item.job,
            "errors": errors,
            "more_errors": more_errors,
            "missing_units": item.missing_units,
            "defaults_form": RosterDefaultsForm(
                initial={"unit": item.default_unit_id, "kind": item.default_kind}
            ),
            "units_form": CreateUnitsForm(),
            "columns": COLUMNS.help(),
        },
    )


@login_required
@require_POST
def roster_import_defaults(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roster_manager(request)
    item = get_roster_import_for_user(request, pk)
    form = RosterDefaultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a category from the lists."))
    elif item.status != RosterImport.Status.CHECKED:
        messages.warning(request, _("This import is not waiting to be committed."))
    else:
        item.default_unit = form.cleaned_data["unit"]
        item.default_kind = form.cleaned_data["kind"]
        item.save(update_fields=["default_unit", "default_kind"])
        audit.record(
            PeopleEvent.ROSTER_DEFAULTS_CHOSEN,
            item,
            acting_user=request.user,
            request=request,
            unit=item.default_unit.name if item.default_unit else None,
            kind=item.default_kind or None,
        )
        item.check_again(check_roster_import, started_by=request.user)
    return redirect("people:roster_import_detail", pk=item.pk)


@login_required
@require_POST
def roster_import_create_units(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roster_manager(request)
    item = get_roster_import_for_user(request, pk)
    form = CreateUnitsForm(request.POST)
    names = item.missing_units
    if not form.is_valid():
        messages.error(request, _("Choose the unit to create them under from the list."))
    elif item.status != RosterImport.Status.CHECKED or not names:
        messages.warning(request, _("This import names no units to create."))
    else:
        created = create_units(names, parent=form.cleaned_data["parent"], acting_user=request.user)
        messages.success(
            request,
            _("Created: %(units)s. The file is being checked again.")
            % {"units": "、".join(unit.name for unit in created) or "-"},
        )
        item.check_again(check_roster_import, started_by=request.user)
    return redirect("people:roster_import_detail", pk=item.pk)


@login_required
@require_POST
def roster_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roster_manager(request)
    item = get_roster_import_for_user(request, pk)
    if item.is_blocked:
        messages.warning(request, _("Choose a category for this file before committing it."))
        return redirect("people:roster_import_detail", pk=item.pk)
    if not item.start_commit(commit_roster_import, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("people:roster_import_detail", pk=item.pk)


@login_required
@require_GET
def roster_export(request: AuthedRequest) -> HttpResponse:
    require_roster_manager(request)
    people = export_queryset(_filtered_people(request).qs)
    data = write_xlsx(EXPORT_HEADERS, export_rows(people), title="roster")
    # An export is about many people, so the row hangs on the exporting user.
    audit.record(
        PeopleEvent.ROSTER_EXPORTED,
        request.user,
        acting_user=request.user,
        request=request,
        filters=request.GET.dict(),
        rows=people.count(),
    )
    filename = f"roster-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The accounts sheet: people's WeCom and DingTalk accounts by number ------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def platform_account_import(request: AuthedRequest) -> HttpResponse:
    require_platform_accounts_manager(request)
    form = PlatformAccountUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = PlatformAccountImport.objects.create(
            file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_platform_account_import, started_by=request.user)
        return redirect("people:platform_account_import_detail", pk=item.pk)
    imports = platform_account_imports_for_user(request.user).select_related("uploaded_by")[:20]
    context = {"form": form, "imports": imports, "columns": ACCOUNT_COLUMNS.help()}
    return render(request, "people/platform_account_import.html", context)


@login_required
@require_GET
def platform_account_template(request: AuthedRequest) -> HttpResponse:
    require_platform_accounts_manager(request)
    data = write_xlsx(ACCOUNT_COLUMNS.export_headers, ACCOUNT_EXAMPLE_ROWS, title="accounts")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="accounts.xlsx"'
    return response


@login_required
@require_GET
def platform_account_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_platform_accounts_manager(request)
    item = get_platform_account_import_for_user(request, pk)
    errors, more_errors = item.error_preview(ACCOUNT_COLUMNS)
    template = "people/platform_account_import_detail.html" + ("#status" if request.htmx else "")
    context = {
        "item": item,
        "job": item.job,
        "errors": errors,
        "more_errors": more_errors,
        "columns": ACCOUNT_COLUMNS.help(),
    }
    return render(request, template, context)


@login_required
@require_POST
def platform_account_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_platform_accounts_manager(request)
    item = get_platform_account_import_for_user(request, pk)
    if not item.start_commit(commit_platform_account_import, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("people:platform_account_import_detail", pk=item.pk)
