"""The public site (no login, cached, the same for everyone), the writers'
desk, and the mailboxes' letters."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.uploads import serve
from shouwang.lib.client import client_address

from .access import (
    get_article_for_user,
    get_attachment_for_user,
    get_cover_for_user,
    get_image_for_user,
    get_letter_by_code,
    get_letter_for_user,
    get_public_article,
    letters_for_user,
    mailboxes_for_user,
    require_letter_reader,
    require_writer,
)
from .actions import (
    Throttled,
    add_attachment,
    add_image,
    answer_letter,
    client_key,
    count_view,
    network_key,
    publish_article,
    remove_file,
    save_article,
    send_letter,
    unpublish_article,
)
from .audit import BulletinEvent
from .forms import (
    AnswerForm,
    ArticleForm,
    AttachmentForm,
    ImageForm,
    LetterForm,
    LookupForm,
    PublishForm,
)
from .models import Article, Mailbox, Section
from .pages import cached_page

HOME_ARTICLES = 6
SECTION_PAGE_SIZE = 15
# Stands for the article's 阅读数 in its cached page; each request puts in the count.
VIEWS_MARK = "\u2063VIEWS\u2063"
# Crawlers do not read: their visits are not counted. A reload is a view, as
# on the college's own site; nothing here tells people apart.
ROBOTS = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-|headless", re.IGNORECASE)


# -- the public site ---------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> str:
        newest = Article.objects.public().newest_first()
        sections = Section.objects.prefetch_related(
            Prefetch("articles", queryset=newest[:HOME_ARTICLES], to_attr="newest")
        )
        return render_to_string(
            "bulletin/home.html",
            {"sections": sections, "mailboxes": Mailbox.objects.all()},
        )

    return HttpResponse(cached_page("home", render_home))


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1

    def render_section() -> str:
        current = get_object_or_404(Section, slug=slug)
        articles = Article.objects.public().filter(section=current).newest_first()
        page = Paginator(articles, SECTION_PAGE_SIZE).get_page(number)
        return render_to_string(
            "bulletin/section.html",
            {"section": current, "page": page, "sections": Section.objects.all()},
        )

    return HttpResponse(cached_page(f"section:{slug}:{number}", render_section))


@require_safe
def article(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET" and not ROBOTS.search(request.headers.get("User-Agent", "")):
        views = count_view(pk)
    else:
        views = Article.objects.public().filter(pk=pk).values_list("views", flat=True).first()
    # The count's query says whether the article is public, cached page or not.
    if views is None:
        raise Http404

    def render_article() -> str:
        item = get_public_article(pk)
        images = list(item.images.all())
        return render_to_string(
            "bulletin/article.html",
            {
                "article": item,
                "blocks": item.blocks(images),
                "attachments": item.attachments.all(),
                "views_mark": VIEWS_MARK,
                "sections": Section.objects.all(),
            },
        )

    return HttpResponse(
        cached_page(f"article:{pk}", render_article).replace(VIEWS_MARK, str(views), 1)
    )


def _kept_by_browsers(response: FileResponse) -> FileResponse:
    # Readers' browsers may keep it; shared caches may not (it may be unpublished).
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def image(request: HttpRequest, pk: int) -> FileResponse:
    return _kept_by_browsers(serve(get_image_for_user(request, pk).file))


@require_safe
def cover(request: HttpRequest, pk: int) -> FileResponse:
    return _kept_by_browsers(serve(get_cover_for_user(request, pk).cover))


@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    return _kept_by_browsers(get_attachment_for_user(request, pk).download())


# -- the mailboxes ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def write_letter(request: HttpRequest, slug: str) -> HttpResponse:
    mailbox = get_object_or_404(Mailbox, slug=slug)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_robot:
            form.add_error(None, _("Your letter could not be sent. Please try again."))
        else:
            data = {k: form.cleaned_data[k] for k in ("subject", "body", "name", "contact")}
            address = client_address(request)
            try:
                letter = send_letter(
                    mailbox, **data, client=client_key(address), network=network_key(address)
                )
            except Throttled:
                form.add_error(
                    None,
                    _(
                        "Too many letters have been sent just now. Your letter is not sent yet: "
                        "it is kept below; please send it again in a while."
                    ),
                )
            else:
                return redirect("bulletin:letter_status", code=letter.code)
    return render(
        request,
        "bulletin/write_letter.html",
        {"mailbox": mailbox, "form": form, "sections": Section.objects.all()},
    )


@never_cache
@require_safe
def letter_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("bulletin:letter_status", code=form.cleaned_data["code"])
    return render(
        request, "bulletin/letter_lookup.html", {"form": form, "sections": Section.objects.all()}
    )


@never_cache
@require_safe
def letter_status(request: HttpRequest, code: str) -> HttpResponse:
    """The visitor's own letter and its answer: the code is the only key to it."""
    letter = get_letter_by_code(code)
    return render(
        request,
        "bulletin/letter_status.html",
        {"letter": letter, "sections": Section.objects.all()},
    )


# -- the writers' desk ------------------------------------------------------------------


@login_required
@require_safe
def desk(request: AuthedRequest) -> HttpResponse:
    require_writer(request)
    articles = Article.objects.select_related("section").newest_first()
    page = Paginator(articles, 30).get_page(request.GET.get("page"))
    reads_letters = mailboxes_for_user(request.user).exists()
    return render(request, "bulletin/desk.html", {"page": page, "reads_letters": reads_letters})


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: AuthedRequest) -> HttpResponse:
    require_writer(request)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = save_article(
                None,
                cover=data.pop("cover_upload") or None,
                **data,
                acting_user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("cover_upload", exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("bulletin:article_edit", pk=item.pk)
    return render(request, "bulletin/article_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_article_for_user(request, pk)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_article(
                item,
                cover=data.pop("cover_upload") or None,
                **data,
                acting_user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("cover_upload", exc)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("bulletin:article_edit", pk=item.pk)
    return _edit_page(request, item, form=form)


def _edit_page(request: AuthedRequest, item: Article, **forms: Any) -> HttpResponse:
    context = {
        "article": item,
        "form": ArticleForm(instance=item),
        "publish_form": PublishForm(),
        "image_form": ImageForm(),
        "attachment_form": AttachmentForm(),
        "images": item.images.all(),
        "attachments": item.attachments.all(),
    }
    context.update(forms)
    return render(request, "bulletin/article_form.html", context)


@login_required
@require_POST
def article_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_article_for_user(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, item, publish_form=form)
    publish_article(
        item,
        published_at=form.cleaned_data["published_at"],
        acting_user=request.user,
        request=request,
    )
    if item.is_public:
        messages.success(request, _("The article is published."))
    else:
        messages.success(request, _("The article will be published at the time set."))
    return redirect("bulletin:article_edit", pk=item.pk)


@login_required
@require_POST
def article_unpublish(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_article_for_user(request, pk)
    unpublish_article(item, acting_user=request.user, request=request)
    messages.success(request, _("The article is off the public site; it is a draft again."))
    return redirect("bulletin:article_edit", pk=item.pk)


@login_required
@require_POST
def image_add(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_article_for_user(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_image(item, **form.cleaned_data, acting_user=request.user, request=request)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("The image is added."))
            return redirect("bulletin:article_edit", pk=item.pk)
    return _edit_page(request, item, image_form=form)


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_article_for_user(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, item, attachment_form=form)
    try:
        add_attachment(
            item, file=form.cleaned_data["file"], acting_user=request.user, request=request
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _edit_page(request, item, attachment_form=form)
    messages.success(request, _("The attachment is added."))
    return redirect("bulletin:article_edit", pk=item.pk)


@login_required
@require_POST
def image_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    require_writer(request)
    item = get_image_for_user(request, pk)
    remove_file(item, acting_user=request.user, request=request)
    messages.success(request, _("The image is removed."))
    return redirect("bulletin:article_edit", pk=item.article_id)


@login_required
@require_POST
def attachment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    require_writer(request)
    item = get_attachment_for_user(request, pk)
    remove_file(item, acting_user=request.user, request=request)
    messages.success(request, _("The attachment is removed."))
    return redirect("bulletin:article_edit", pk=item.article_id)


# -- the letters, for the people they are routed to --------------------------------------


@login_required
@require_safe
def letter_list(request: AuthedRequest) -> HttpResponse:
    require_letter_reader(request)
    letters = letters_for_user(request.user).select_related("mailbox", "answered_by__person")
    page = Paginator(letters, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletin/letter_list.html",
        {"page": page, "mailboxes": mailboxes_for_user(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_user(request, pk)
    form = AnswerForm(request.POST or None, initial={"answer": letter.answer})
    if request.method == "POST" and form.is_valid():
        answer_letter(
            letter, answer=form.cleaned_data["answer"], acting_user=request.user, request=request
        )
        messages.success(
            request, _("The answer is saved: the writer sees it with their query code.")
        )
        return redirect(letter)
    # A letter holds its writer's contact details: every read is logged.
    audit.record(BulletinEvent.LETTER_VIEWED, letter, acting_user=request.user, request=request)
    return render(
        request,
        "bulletin/letter_detail.html",
        {"letter": letter, "form": form},
    )
