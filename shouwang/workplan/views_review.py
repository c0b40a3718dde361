"""The year-end review (年终项目化评比): its round, panel, criteria, scoring and results.

The plan's leaders set a round up and read everything; a panel member scores
the measures assigned to them; once the results are published, the owners of
the plan's measures read their own measures' results and places.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit, scoring
from shouwang.core.forms import first_error
from shouwang.core.scoring_forms import SheetForm, criteria_from, criteria_initial

from . import reviews
from .access import (
    get_assignment_for_user,
    get_led_plan,
    get_led_review,
    get_plan_for_user,
    get_result_review_for_user,
    get_review_for_user,
    leads,
    owned_measures,
    require_plan_reader,
    result_reviews_for_user,
)
from .audit import WorkplanEvent
from .forms_review import (
    AssignForm,
    CriterionFormSet,
    PanelForm,
    ReviewForm,
)
from .models import Assignment, Measure, Review, ReviewCriterion
from .review_exports import summary_docx, summary_xlsx


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def review_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """A plan's review rounds that the user may open."""
    plan = get_plan_for_user(request, pk)
    rounds = result_reviews_for_user(request.user).filter(plan=plan)
    context = {"plan": plan, "reviews": rounds, "leads": leads(request.user, plan)}
    return render(request, "workplan/review_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_led_plan(request, pk)
    form = ReviewForm(request.POST or None, instance=Review(plan=plan))
    if request.method == "POST" and form.is_valid():
        review = reviews.save_review(form.save(commit=False), acting_user=request.user)
        return redirect("workplan:review_criteria", pk=review.pk)
    return render(request, "workplan/review_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_led_review(request, pk)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        reviews.save_review(form.save(commit=False), acting_user=request.user)
        return redirect(review)
    context = {"form": form, "plan": review.plan, "review": review}
    return render(request, "workplan/review_form.html", context)


@login_required
@require_GET
def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Leaders: the criteria, the panel and each reviewer's progress. A panel
    member: the measures they are to score in it."""
    review = get_review_for_user(request, pk)
    leading = leads(request.user, review.plan)
    context: dict = {
        "review": review,
        "leads": leading,
        "criteria": review.criteria.all(),
        "is_open": reviews.is_open(review),
    }
    if leading:
        context["progress"] = (
            Assignment.objects.filter(review=review)
            .values("reviewer__name", "reviewer__unit__name")
            .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(scored_at__isnull=False)))
            .order_by("reviewer__name")
        )
        context["panel"] = review.panel.select_related("unit").order_by("name")
    context["mine"] = (
        Assignment.objects.filter(review=review, reviewer_id=request.user.person_id)
        .select_related("measure__key_point__area")
        .order_by("scored_at", "measure")
    )
    return render(request, "workplan/review_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_criteria(request: AuthedRequest, pk: int) -> HttpResponse:
    """The criteria and their weights; the college's usual set is offered."""
    review = get_led_review(request, pk)
    current = list(review.criteria.all())
    source = current or reviews.default_criteria()
    formset = CriterionFormSet(request.POST or None, initial=criteria_initial(source))
    if request.method == "POST" and formset.is_valid():
        try:
            reviews.set_criteria(
                review, criteria_from(formset, ReviewCriterion), acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect(review)
    context = {
        "review": review,
        "formset": formset,
        "is_default": not current,
        "locked": reviews.is_scored(review),
    }
    return render(request, "workplan/review_criteria.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_led_review(request, pk)
    form = PanelForm(request.POST or None, initial={"members": review.panel.all()})
    if request.method == "POST" and form.is_valid():
        try:
            reviews.set_panel(review, form.cleaned_data["members"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The panel is saved."))
            return redirect(review)
    return render(request, "workplan/review_panel.html", {"review": review, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def review_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign one measure to one reviewer, every measure to every panel member
    who may score it, or take back an unscored assignment."""
    review = get_led_review(request, pk)
    form = AssignForm(review=review)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "all":
                done = reviews.assign_all(review, acting_user=request.user)
                messages.success(
                    request,
                    _("%(created)d assigned; %(skipped)d skipped as conflicts of interest.")
                    % {"created": done.created, "skipped": done.skipped},
                )
                return redirect("workplan:review_assign", pk=review.pk)
            if action == "remove":
                assignment = Assignment.objects.filter(review=review).get(
                    pk=int(request.POST.get("assignment") or 0)
                )
                reviews.unassign(assignment, acting_user=request.user)
                return redirect("workplan:review_assign", pk=review.pk)
            form = AssignForm(request.POST, review=review)
            if form.is_valid():
                reviews.assign(
                    review,
                    form.cleaned_data["reviewer"],
                    form.cleaned_data["measure"],
                    acting_user=request.user,
                )
                messages.success(request, _("The measure is assigned."))
                return redirect("workplan:review_assign", pk=review.pk)
            messages.error(request, first_error(form))
        except (Assignment.DoesNotExist, ValueError):
            messages.error(request, _("No such assignment."))
        except ValidationError as error:
            messages.error(request, _errors(error))
    assignments = (
        Assignment.objects.filter(review=review)
        .select_related("reviewer", "measure__key_point__area")
        .order_by("reviewer__name", "measure")
    )
    context = {"review": review, "form": form, "assignments": assignments}
    return render(request, "workplan/review_assign.html", context)


@login_required
@require_POST
def review_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_led_review(request, pk)
    try:
        reviews.publish(review, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The results are published to the measures' owners."))
    return redirect("workplan:review_results", pk=review.pk)


@login_required
@require_GET
def review_results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Leaders: the whole ranking, any time. Once published, an owner: their
    own measures' results and places."""
    review = get_result_review_for_user(request, pk)
    leading = leads(request.user, review.plan)
    if not leading and review.published_at is None:
        raise PermissionDenied
    results = reviews.results(review)
    rows = results.rows
    if not leading:
        own = set(
            owned_measures(request.user)
            .filter(key_point__area__plan=review.plan_id)
            .values_list("pk", flat=True)
        )
        rows = [row for row in rows if row.measure.pk in own]
    context = {
        "review": review,
        "results": results,
        "rows": [(row, row.criterion_list(results.criteria)) for row in rows],
        "leads": leading,
    }
    return render(request, "workplan/review_results.html", context)


def _download(request: AuthedRequest, review: Review, data: bytes, kind: str) -> HttpResponse:
    # A read of everyone's scores: audited against the review.
    audit.record(
        WorkplanEvent.EXPORTED,
        review,
        acting_user=request.user,
        request=request,
        export=f"review summary .{kind}",
    )
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(data, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}.{kind}"'
    return response


@login_required
@require_GET
def review_summary_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_led_review(request, pk)
    return _download(request, review, summary_docx(reviews.results(review)), "docx")


@login_required
@require_GET
def review_summary_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_led_review(request, pk)
    return _download(request, review, summary_xlsx(reviews.results(review)), "xlsx")


@login_required
@require_GET
def my_reviews(request: AuthedRequest) -> HttpResponse:
    """A panel member's assignments in every review: to score, and scored."""
    require_plan_reader(request)
    mine = (
        Assignment.objects.filter(reviewer_id=request.user.person_id)
        .select_related("review", "measure__key_point__area")
        .order_by("-review__closes_on", "review", "measure")
    )
    context = {
        "to_score": [a for a in mine if a.scored_at is None],
        "scored": [a for a in mine if a.scored_at is not None],
    }
    return render(request, "workplan/review_mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The score sheet: the measure in detail, and a points field per criterion.
    Its reviewer scores it while the review is open; leaders read it."""
    assignment = get_assignment_for_user(request, pk)
    review = assignment.review
    is_reviewer = assignment.reviewer_id == request.user.person_id
    criteria = list(review.criteria.all())
    points = dict(assignment.scores.values_list("criterion_id", "points"))
    writable = is_reviewer and reviews.is_open(review) and bool(criteria)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    form = SheetForm(
        request.POST or None,
        criteria=criteria,
        points=points,
        initial={"comment": assignment.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.save_sheet(
                assignment,
                form.points(),
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("workplan:review_detail", pk=review.pk)
    measure = (
        Measure.objects.with_state()
        .select_related("key_point__area", "owner", "owner_unit", "branch", "post")
        .annotate(spent=Sum("expenditures__amount"))
        .get(pk=assignment.measure_id)
    )
    context = {
        "assignment": assignment,
        "review": review,
        "measure": measure,
        "co_owners": measure.co_owners.all(),
        "reports": measure.reports.filter(submitted_at__isnull=False).order_by("due_on"),
        "evidence": measure.evidence.all(),
        "form": form if writable else None,
        "sheet": [(criterion, points.get(criterion.pk)) for criterion in criteria],
        "score": scoring.sheet_score(points, criteria),
    }
    return render(request, "workplan/review_sheet.html", context)
