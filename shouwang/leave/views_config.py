"""The leaders' configuration of leave: the kinds with their approval chains,
and who holds each post in each unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.forms import first_error
from shouwang.people.access import units_for_user

from . import actions
from .access import require_runner
from .forms import HolderForm, KindForm, PostForm, StepForm, StepFormSet
from .models import ChainStep, LeaveKind, Post, PostHolder


@login_required
@require_GET
def kind_list(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    steps = ChainStep.objects.select_related("post", "person").order_by("position")
    kinds = LeaveKind.objects.prefetch_related(Prefetch("steps", queryset=steps))
    return render(request, "leave/kind_list.html", {"kinds": kinds})


@login_required
@require_http_methods(["GET", "POST"])
def kind_new(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    return _kind_form(request, LeaveKind())


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_runner(request)
    return _kind_form(request, get_object_or_404(LeaveKind, pk=pk))


def _kind_form(request: AuthedRequest, kind: LeaveKind) -> HttpResponse:
    if request.method == "POST":
        form = KindForm(request.POST, instance=kind)
        steps = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and steps.is_valid():
            chain = [step.step() for step in steps.ordered_forms]
            try:
                actions.save_kind(form.save(commit=False), chain, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The kind of leave is saved."))
                return redirect("leave:kind_list")
    else:
        form = KindForm(instance=kind)
        current = kind.steps.select_related("person").order_by("position") if kind.pk else []
        steps = StepFormSet(
            prefix="steps",
            initial=[{**StepForm.initial_from(step), "ORDER": step.position} for step in current],
        )
    return render(request, "leave/kind_form.html", {"form": form, "steps": steps, "kind": kind})


@login_required
@require_GET
def post_list(request: AuthedRequest) -> HttpResponse:
    """Each unit the leader reaches with who holds each post there."""
    require_runner(request)
    units = list(units_for_user(request.user).order_by("pk"))
    posts = list(Post.objects.all())
    holders = {
        (holder.post_id, holder.unit_id): holder.person
        for holder in PostHolder.objects.filter(unit__in=units).select_related("person")
    }
    rows = [(unit, [(post, holders.get((post.pk, unit.pk))) for post in posts]) for unit in units]
    context = {"posts": posts, "rows": rows, "form": PostForm()}
    return render(request, "leave/post_list.html", context)


@login_required
@require_POST
def post_new(request: AuthedRequest) -> HttpResponse:
    require_runner(request)
    form = PostForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(first_error(form))
        post = actions.add_post(Post(name=form.cleaned_data["name"]), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The post %(post)s is added.") % {"post": post.name})
    return redirect("leave:post_list")


@login_required
@require_http_methods(["GET", "POST"])
def post_holder(request: AuthedRequest, post: int, unit: int) -> HttpResponse:
    require_runner(request)
    held = get_object_or_404(Post, pk=post)
    place = get_object_or_404(units_for_user(request.user), pk=unit)
    current = PostHolder.objects.filter(post=held, unit=place).select_related("person").first()
    if request.method == "POST":
        form = HolderForm(request.POST)
        if form.is_valid():
            actions.hold_post(held, place, form.cleaned_data["number"], acting_user=request.user)
            messages.success(request, _("The holder of the post is saved."))
            return redirect("leave:post_list")
    else:
        form = HolderForm(initial={"number": current.person.number if current else ""})
    context = {"form": form, "post": held, "unit": place, "current": current}
    return render(request, "leave/post_holder.html", context)
