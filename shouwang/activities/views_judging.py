"""Judging: the runners' pages (criteria, judges, assignments, ranking,
awards, publication, objections, the final results), a judge's entries and
score sheets, and what students see of the results (the published awards,
their own award and certificate, their objections).

A judge sees their own sheets and the entries assigned to them, nothing of
the other judges' scores; the runners see everything of their activity's
judging.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import scoring
from shouwang.core.forms import first_error
from shouwang.core.scoring_forms import SheetForm, criteria_from, criteria_initial
from shouwang.core.uploads import IMAGES, extension, serve

from . import judging
from .access import (
    get_activity_for_user,
    get_answerable_objection_for_user,
    get_award_for_user,
    get_judged_activity_for_user,
    get_sheet_for_user,
    runs,
    won_q,
)
from .certificate import certificate_pdf
from .forms_judging import (
    AnswerForm,
    AssignForm,
    AwardsForm,
    CriterionFormSet,
    JudgesForm,
    ObjectionForm,
    PublishForm,
)
from .models import Award, Entry, EntryFile, JudgeAssignment, JudgingCriterion, Objection


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def judging_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The runners' page: criteria, judges, each judge's progress, what comes next."""
    activity = get_judged_activity_for_user(request, pk)
    progress = (
        JudgeAssignment.objects.filter(activity=activity)
        .values("judge_id", "judge__name")
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(scored_at__isnull=False)))
        .order_by("judge__name")
    )
    context = {
        "activity": activity,
        "criteria": activity.criteria.all(),
        "judges": activity.judges.select_related("unit", "admin_class").order_by("name"),
        "progress": progress,
        "entries": activity.entries.count(),
        "awards": activity.awards.count(),
        "closed_reason": judging.closed_reason(activity),
        "final_refusal": judging.final_refusal(activity),
    }
    return render(request, "activities/judging.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def judging_criteria(request: AuthedRequest, pk: int) -> HttpResponse:
    """The criteria and their weights; a contest's usual set is offered."""
    activity = get_judged_activity_for_user(request, pk)
    current = list(activity.criteria.all())
    source = current or judging.default_criteria()
    formset = CriterionFormSet(request.POST or None, initial=criteria_initial(source))
    if request.method == "POST" and formset.is_valid():
        try:
            judging.set_criteria(
                activity, criteria_from(formset, JudgingCriterion), acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect("activities:judging", pk=activity.pk)
    context = {
        "activity": activity,
        "formset": formset,
        "is_default": not current,
        "locked": judging.is_scored(activity),
    }
    return render(request, "activities/judging_criteria.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def judging_judges(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_judged_activity_for_user(request, pk)
    form = JudgesForm(request.POST or None, initial={"judges": activity.judges.all()})
    if request.method == "POST" and form.is_valid():
        try:
            judging.set_judges(activity, form.cleaned_data["judges"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The judges are saved."))
            return redirect("activities:judging", pk=activity.pk)
    return render(request, "activities/judging_judges.html", {"activity": activity, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def judging_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign one entry to one judge, every entry to every judge who may
    score it, or take back an unfinished assignment."""
    activity = get_judged_activity_for_user(request, pk)
    form = AssignForm(activity=activity)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "all":
                done = judging.assign_all(activity, acting_user=request.user)
                messages.success(
                    request,
                    _(
                        "%(created)d assigned; %(skipped)d skipped as entries of "
                        "the judge's own class or team."
                    )
                    % {"created": done.created, "skipped": done.skipped},
                )
                return redirect("activities:judging_assign", pk=activity.pk)
            if action == "remove":
                assignment = JudgeAssignment.objects.filter(activity=activity).get(
                    pk=int(request.POST.get("assignment") or 0)
                )
                judging.unassign(assignment, acting_user=request.user)
                return redirect("activities:judging_assign", pk=activity.pk)
            form = AssignForm(request.POST, activity=activity)
            if form.is_valid():
                judging.assign(
                    activity,
                    form.cleaned_data["judge"],
                    form.cleaned_data["entry"],
                    acting_user=request.user,
                )
                messages.success(request, _("The entry is assigned."))
                return redirect("activities:judging_assign", pk=activity.pk)
            messages.error(request, first_error(form))
        except (JudgeAssignment.DoesNotExist, ValueError):
            messages.error(request, _("No such assignment."))
        except ValidationError as error:
            messages.error(request, _errors(error))
    assignments = (
        JudgeAssignment.objects.filter(activity=activity)
        .select_related("judge", "entry__team", "entry__person")
        .order_by("judge__name", "entry")
    )
    context = {"activity": activity, "form": form, "assignments": assignments}
    return render(request, "activities/judging_assign.html", context)


@login_required
@require_GET
def my_judging(request: AuthedRequest) -> HttpResponse:
    """A judge's entries in every activity: to score, and scored."""
    mine = (
        JudgeAssignment.objects.filter(judge_id=request.user.person_id)
        .select_related("activity", "entry")
        .order_by("-activity__entries_close_at", "activity", "entry")
    )
    context = {
        "to_score": [a for a in mine if a.scored_at is None],
        "scored": [a for a in mine if a.scored_at is not None],
    }
    return render(request, "activities/judging_mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def judge_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    """The score sheet: the entry and its files, a points field per criterion.
    Its judge scores it (half done is kept) until the results are published;
    the runners read it."""
    assignment = get_sheet_for_user(request, pk)
    activity = assignment.activity
    is_judge = assignment.judge_id == request.user.person_id
    criteria = list(activity.criteria.all())
    points = dict(assignment.scores.values_list("criterion_id", "points"))
    closed = judging.closed_reason(activity)
    writable = is_judge and closed is None and bool(criteria)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        points=points,
        complete=False,
        initial={"comment": assignment.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            score = judging.save_sheet(
                assignment,
                form.points(),
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            if score is None:
                messages.info(request, _("Your scores are saved; the sheet is not finished yet."))
            else:
                messages.success(request, _("Your scores are saved."))
            return redirect("activities:judge_sheet", pk=assignment.pk)
    entry = assignment.entry
    files = list(entry.files.all())
    context = {
        "assignment": assignment,
        "activity": activity,
        "entry": entry,
        "authors": judging.authors_of(entry) if not is_judge else [],
        "images": [f for f in files if extension(f.name) in IMAGES],
        "files": [f for f in files if extension(f.name) not in IMAGES],
        "form": form if writable else None,
        "closed_reason": closed if is_judge else None,
        "sheet": [(criterion, points.get(criterion.pk)) for criterion in criteria],
        "score": scoring.sheet_score(points, criteria),
    }
    return render(request, "activities/judging_sheet.html", context)


@login_required
@require_GET
def sheet_file(request: AuthedRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """A file of the entry on a score sheet: an image shown in the page, the rest downloaded."""
    assignment = get_sheet_for_user(request, pk)
    file = get_object_or_404(EntryFile, entry_id=assignment.entry_id, pk=file_pk)
    if extension(file.name) in IMAGES:
        return serve(file.file, name=file.name)
    return file.download()


@login_required
@require_GET
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    """The runners: the ranking with ties, the sheets done, the awards, the
    objections. Everyone else, once published: the awards, their own, and
    how to object."""
    activity = get_activity_for_user(request, pk)
    if not activity.takes_entries or activity.external:
        raise Http404
    running = runs(request.user, activity)
    if not running and activity.results_published_at is None:
        raise PermissionDenied
    context: dict = {
        "activity": activity,
        "runs": running,
        "awards": judging.awards_of(activity) if activity.results_published_at or running else [],
        "in_period": judging.in_objection_period(activity),
    }
    if running:
        ranking = judging.results(activity)
        prize_of = {award.entry_id: award.get_prize_display() for award in context["awards"]}
        context.update(
            ranking=ranking,
            rows=[
                (row, row.criterion_list(ranking.criteria), prize_of.get(row.entry.pk, ""))
                for row in ranking.rows
            ],
            stale=judging.stale_awards(activity, ranking),
            objections=activity.objections.select_related("person__admin_class"),
            answer_form=AnswerForm(),
            final_refusal=judging.final_refusal(activity),
            publish_form=PublishForm(initial={"objection_days": activity.objection_days}),
        )
    else:
        context["prizes"] = judging.by_prize(context["awards"])
        context["mine"] = (
            Award.objects.filter(won_q(request.user.person_id), activity=activity)
            .distinct()
            .first()
        )
    return render(request, "activities/judging_results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def awards(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give the awards down the ranking by how many of each prize."""
    activity = get_judged_activity_for_user(request, pk)
    ranking = judging.results(activity)
    scored = sum(1 for row in ranking.rows if row.place is not None)
    form = AwardsForm(request.POST or None, initial=AwardsForm.suggested(scored))
    if request.method == "POST" and form.is_valid():
        try:
            given = judging.give_awards(activity, form.counts(), acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("%(count)d awards given.") % {"count": len(given.awards)})
            if given.tied_up:
                messages.warning(
                    request,
                    _(
                        "Tied at a prize's last place, these entries all got that prize: "
                        "%(entries)s."
                    )
                    % {"entries": "、".join(award.entry.title for award in given.tied_up)},
                )
            return redirect("activities:results", pk=activity.pk)
    context = {
        "activity": activity,
        "form": form,
        "scored": scored,
        "unfinished": judging.unfinished_sheets(activity),
    }
    return render(request, "activities/judging_awards.html", context)


@login_required
@require_POST
def results_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_judged_activity_for_user(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("activities:results", pk=activity.pk)
    try:
        judging.publish_results(
            activity, objection_days=form.cleaned_data["objection_days"], acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The results are published to the bulletin."))
    return redirect("activities:results", pk=activity.pk)


@login_required
@require_POST
def results_final(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_judged_activity_for_user(request, pk)
    try:
        judging.make_final(activity, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The results are final."))
    return redirect("activities:results", pk=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def objection(request: AuthedRequest, pk: int) -> HttpResponse:
    """A student of the activity's audience objects to the published results
    within the objection period, and reads the answers to their objections."""
    activity = get_activity_for_user(request, pk)
    if activity.results_published_at is None:
        raise PermissionDenied
    person = request.user.person
    refusal = judging.objection_refusal(activity, person)
    if request.method == "POST" and refusal:
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and person is not None:
        try:
            judging.raise_objection(
                activity, person, form.cleaned_data["text"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Your objection is sent to the organisers."))
            return redirect("activities:objection", pk=activity.pk)
    context = {
        "activity": activity,
        "refusal": refusal,
        "form": form if refusal is None else None,
        "mine": Objection.objects.filter(activity=activity, person=person) if person else [],
    }
    return render(request, "activities/judging_objection.html", context)


@login_required
@require_POST
def objection_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = get_answerable_objection_for_user(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            judging.answer_objection(
                objection, form.cleaned_data["answer"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The answer is saved and sent."))
    else:
        messages.error(request, first_error(form))
    return redirect("activities:results", pk=objection.activity_id)


@login_required
@require_GET
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    """An award's certificate as a PDF, once the results are final: a winner
    gets their own page, the runners one page for each member."""
    award = get_award_for_user(request, pk)
    activity = award.activity
    if activity.results_final_at is None:
        raise PermissionDenied
    entry = Entry.objects.select_related("team", "person__admin_class").get(pk=award.entry_id)
    award.entry = entry
    people = judging.authors_of(entry)
    if not runs(request.user, activity):
        people = [person for person in people if person.pk == request.user.person_id]
    if not people:
        raise Http404
    response = HttpResponse(certificate_pdf(award, people), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{award.pk}.pdf"'
    return response
