"""The chronicles: the list and a new draft, the editor (the prose, with
its figures shown and explained), publishing, refreshing and the files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.incidents.access import incidents_for_user

from . import actions
from .access import (
    chronicles_for_user,
    get_chronicle_for_user,
    may_publish,
    require_publisher,
    require_reader,
    units_for_chronicles,
)
from .chronicle import read
from .chronicle_files import docx_bytes, pdf_bytes
from .forms import ChronicleForm, DraftForm
from .models import Chronicle

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


PAGE_SIZE = 20


def _list(request: AuthedRequest, form: DraftForm, status: int = 200) -> HttpResponse:
    chronicles = chronicles_for_user(request.user).select_related("unit", "incident")
    page = Paginator(chronicles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "reports/chronicle_list.html", {"page": page, "form": form}, status=status
    )


def _draft_form(request: AuthedRequest, data: object = None) -> DraftForm:
    return DraftForm(
        data,  # type: ignore[arg-type]
        units=units_for_chronicles(request.user),
        incidents=incidents_for_user(request.user),
    )


@login_required
@require_GET
def chronicle_list(request: AuthedRequest) -> HttpResponse:
    require_reader(request)
    return _list(request, _draft_form(request))


@login_required
@require_POST
def chronicle_draft(request: AuthedRequest) -> HttpResponse:
    require_reader(request)
    form = _draft_form(request, request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    chronicle = actions.draft(
        unit=form.cleaned_data["unit"],
        incident=form.cleaned_data["incident"],
        first=form.cleaned_data["first"],
        last=form.cleaned_data["last"],
        acting_user=request.user,
        request=request,
    )
    messages.success(request, _("The chronicle is drafted from the data: edit its prose."))
    return redirect(chronicle)


@login_required
@require_http_methods(["GET", "POST"])
def chronicle(request: AuthedRequest, pk: int) -> HttpResponse:
    """The editor: the prose as stored (markers for the figures), the account
    as it reads with the figures, and what each figure counts."""
    item = get_chronicle_for_user(request, pk)
    sections = list(item.sections.all())
    form = ChronicleForm(request.POST or None, instance=item, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit(
                item,
                title=form.cleaned_data["title"],
                byline=form.cleaned_data["byline"],
                lead=form.cleaned_data["lead"],
                sections=form.section_texts(),
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The prose is saved."))
            return redirect(item)
    reading = read(Chronicle.objects.get(pk=item.pk) if request.method == "POST" else item)
    context = {
        "chronicle": item,
        "form": form,
        "reading": reading,
        "blocks": reading.shown(),
        "legend": reading.legend(),
        "marks": reading.marks(),
        "may_publish": may_publish(request.user),
        "marker_example": "{{students_online}}",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/chronicle.html", context, status=status)


@login_required
@require_POST
def chronicle_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_chronicle_for_user(request, pk)
    require_publisher(request)
    again = item.is_published
    actions.publish(item, acting_user=request.user, request=request)
    if again:
        messages.success(request, _("The article on the bulletin is rewritten with this prose."))
    else:
        messages.success(
            request, _("The chronicle is published on the bulletin; its figures are frozen.")
        )
    return redirect(item)


@login_required
@require_POST
def chronicle_refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_chronicle_for_user(request, pk)
    require_publisher(request)
    try:
        actions.refresh(item, acting_user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The figures are counted again, and the article with them."))
    return redirect(item)


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@login_required
@require_GET
def chronicle_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_chronicle_for_user(request, pk)
    content = docx_bytes(read(item))
    actions.record_export(item, "docx", acting_user=request.user, request=request)
    return _file(content, DOCX, f"{item.title}.docx")


@login_required
@require_GET
def chronicle_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_chronicle_for_user(request, pk)
    content = pdf_bytes(read(item))
    actions.record_export(item, "pdf", acting_user=request.user, request=request)
    return _file(content, "application/pdf", f"{item.title}.pdf")
