"""Who sees which plan, measure, report and review.

The leaders of a plan's unit (and of the units above it) and admins lead the
plan: they see and score everything. Staff of the plan's college see its
outline and each measure's status, not the budget detail, the expenditures
or the reports. A measure's owner and co-owners edit it and write its
reports; a reviewer sees the measures they are assigned to score. Students
see no plan. Anyone outside gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.people.models import Person

from .models import (
    Area,
    Assignment,
    KeyPoint,
    Measure,
    Plan,
    PlanImport,
    Report,
    Review,
    Status,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User

NOTHING = Q(pk__in=[])


def is_staff_member(user: User) -> bool:
    person = user.person
    return person is not None and person.kind != Person.Kind.STUDENT


def may_lead_plans(user: User) -> bool:
    """Leaders and admins: the pages over a whole plan (which plans, `led_plans_q` says)."""
    return user.has_role(Role.LEADER, Role.ADMIN)


def reads_plans(user: User) -> bool:
    """Staff and leaders open the work plan; students do not."""
    return may_lead_plans(user) or is_staff_member(user)


def require_plan_reader(request: AuthedRequest) -> None:
    if not reads_plans(request.user):
        raise PermissionDenied


def led_plans_q(user: User, path: str = "") -> Q:
    """The plans a user leads, as a condition on a plan (or on `path` to one)."""
    units = user.reach_unit_ids
    if units is None:
        return Q(**{f"{path}pk__isnull": False})
    return Q(**{f"{path}unit_id__in": units}) if units else NOTHING


def led_plans(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(led_plans_q(user))


def leads(user: User, plan: Plan) -> bool:
    units = user.reach_unit_ids
    return units is None or plan.unit_id in units


def plans_for_user(user: User) -> QuerySet[Plan]:
    """Plans a user may open: those they lead, their college's (staff), and
    those whose review panel they sit on."""
    seen = led_plans_q(user)
    if is_staff_member(user):
        seen |= Q(unit_id__in=user.unit_line_ids)
    if user.person_id:
        seen |= Q(
            Exists(
                Review.panel.through.objects.filter(
                    review__plan=OuterRef("pk"), person_id=user.person_id
                )
            )
        )
    return Plan.objects.filter(seen)


def get_plan_for_user(request: AuthedRequest, pk: int) -> Plan:
    return get_object_or_404(plans_for_user(request.user).select_related("unit"), pk=pk)


def get_led_plan(request: AuthedRequest, pk: int) -> Plan:
    """A plan the user leads; 403 to staff who only read it, 404 to anyone else."""
    plan = get_plan_for_user(request, pk)
    if not leads(request.user, plan):
        raise PermissionDenied
    return plan


def owns_q(user: User, path: str = "") -> Q:
    """The measures a user owns or co-owns, as a condition on a measure."""
    if not user.person_id:
        return NOTHING
    co_owned = Measure.co_owners.through.objects.filter(
        measure_id=OuterRef(f"{path}pk"), person_id=user.person_id
    )
    return Q(**{f"{path}owner_id": user.person_id}) | Q(Exists(co_owned))


def owned_measures(user: User) -> QuerySet[Measure]:
    """ "My measures": those the user owns or co-owns."""
    return Measure.objects.filter(owns_q(user))


def reviews_q(user: User) -> Q:
    """The measures a user is assigned to review."""
    if not user.person_id:
        return NOTHING
    return Q(Exists(Assignment.objects.filter(measure=OuterRef("pk"), reviewer_id=user.person_id)))


def measures_for_user(user: User) -> QuerySet[Measure]:
    """Measures a user may open: every measure of a plan they may open (its
    outline and status)."""
    return Measure.objects.filter(key_point__area__plan__in=plans_for_user(user).values("pk"))


def detailed_measures(user: User) -> QuerySet[Measure]:
    """Measures whose budget, expenditures and reports a user sees: those of
    plans they lead, their own, and those they review."""
    return Measure.objects.filter(
        led_plans_q(user, "key_point__area__plan__") | owns_q(user) | reviews_q(user)
    )


def sees_detail(user: User, measure: Measure) -> bool:
    return detailed_measures(user).filter(pk=measure.pk).exists()


def may_edit(user: User, measure: Measure) -> bool:
    """Owners and co-owners edit a measure, and whoever leads its plan."""
    return (
        Measure.objects.filter(pk=measure.pk)
        .filter(owns_q(user) | led_plans_q(user, "key_point__area__plan__"))
        .exists()
    )


def get_measure_for_user(request: AuthedRequest, pk: int) -> Measure:
    return get_object_or_404(
        measures_for_user(request.user).select_related(
            "key_point__area__plan", "owner", "owner_unit", "branch", "post"
        ),
        pk=pk,
    )


def get_editable_measure(request: AuthedRequest, pk: int) -> Measure:
    """A measure the user may edit; 403 to those who only read it."""
    measure = get_measure_for_user(request, pk)
    if not may_edit(request.user, measure):
        raise PermissionDenied
    return measure


def reports_for_user(user: User) -> QuerySet[Report]:
    return Report.objects.filter(measure__in=detailed_measures(user).values("pk"))


def reports_to_write(user: User, until: dt.date) -> QuerySet[Report]:
    """Unwritten reports of the measures a user owns or co-owns, due by `until`
    (the overdue ones included), of measures not done, soonest first."""
    return (
        Report.objects.filter(
            owns_q(user, "measure__"), submitted_at__isnull=True, due_on__lte=until
        )
        .exclude(measure__status=Status.DONE)
        .order_by("due_on", "measure_id")
    )


def reports_to_score(user: User) -> QuerySet[Report]:
    """Submitted, unscored reports of the plans a user leads, oldest first."""
    return Report.objects.filter(
        led_plans_q(user, "measure__key_point__area__plan__"),
        submitted_at__isnull=False,
        score__isnull=True,
    ).order_by("submitted_at", "pk")


def get_report_for_user(request: AuthedRequest, pk: int) -> Report:
    return get_object_or_404(
        reports_for_user(request.user).select_related("measure__key_point__area__plan"), pk=pk
    )


def reviews_for_user(user: User) -> QuerySet[Review]:
    """Reviews of plans a user leads, and those they sit on the panel of."""
    seen = led_plans_q(user, "plan__")
    if user.person_id:
        seen |= Q(
            Exists(
                Review.panel.through.objects.filter(
                    review_id=OuterRef("pk"), person_id=user.person_id
                )
            )
        )
    return Review.objects.filter(seen)


def get_review_for_user(request: AuthedRequest, pk: int) -> Review:
    return get_object_or_404(reviews_for_user(request.user).select_related("plan"), pk=pk)


def get_led_review(request: AuthedRequest, pk: int) -> Review:
    """A review of a plan the user leads; 403 to its panel."""
    review = get_review_for_user(request, pk)
    if not leads(request.user, review.plan):
        raise PermissionDenied
    return review


def result_reviews_for_user(user: User) -> QuerySet[Review]:
    """Reviews whose results page a user may open: those `reviews_for_user`
    gives, and the published ones of plans where they own or co-own a measure."""
    owned = Measure.objects.filter(owns_q(user), key_point__area__plan=OuterRef("plan"))
    return Review.objects.filter(
        Q(pk__in=reviews_for_user(user).values("pk"))
        | Q(published_at__isnull=False) & Q(Exists(owned))
    )


def get_result_review_for_user(request: AuthedRequest, pk: int) -> Review:
    return get_object_or_404(result_reviews_for_user(request.user).select_related("plan"), pk=pk)


def assignments_for_user(user: User) -> QuerySet[Assignment]:
    """Score sheets a user may open: their own, and those of reviews of plans they lead."""
    seen = led_plans_q(user, "review__plan__")
    if user.person_id:
        seen |= Q(reviewer_id=user.person_id)
    return Assignment.objects.filter(seen)


def get_assignment_for_user(request: AuthedRequest, pk: int) -> Assignment:
    return get_object_or_404(
        assignments_for_user(request.user).select_related(
            "review__plan", "reviewer", "measure__key_point__area", "measure__owner_unit"
        ),
        pk=pk,
    )


def plan_imports_for_user(user: User) -> QuerySet[PlanImport]:
    return PlanImport.objects.filter(led_plans_q(user, "plan__"))


def get_plan_import_for_user(request: AuthedRequest, pk: int) -> PlanImport:
    return get_object_or_404(plan_imports_for_user(request.user).select_related("plan"), pk=pk)


def get_led_area(request: AuthedRequest, pk: int) -> Area:
    """An area of a plan the user leads; 403 to staff who only read the plan."""
    area = get_object_or_404(
        Area.objects.filter(plan__in=plans_for_user(request.user).values("pk")).select_related(
            "plan__unit"
        ),
        pk=pk,
    )
    if not leads(request.user, area.plan):
        raise PermissionDenied
    return area


def get_led_key_point(request: AuthedRequest, pk: int) -> KeyPoint:
    """A key point of a plan the user leads; 403 to staff who only read the plan."""
    key_point = get_object_or_404(
        KeyPoint.objects.filter(
            area__plan__in=plans_for_user(request.user).values("pk")
        ).select_related("area__plan__unit"),
        pk=pk,
    )
    if not leads(request.user, key_point.area.plan):
        raise PermissionDenied
    return key_point
