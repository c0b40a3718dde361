"""What supplies adds to other apps' pages (see shouwang.core.extensions), and
the hook it listens to in care.

- A help request's page: for a handler who decides supplies, the form that
  turns a help request for supplies into a supply request; for whoever sees
  the help request, the supply request it became and how far it got.
- A meal delivery's page and the meal rounds: what goes with the meal, as the
  door and the items, nothing of the person (the volunteer's task needs no more).
- care's `delivery_confirmed`: the meal's confirmation confirms the slips that
  went with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shouwang.care.access import deliveries_for_user
from shouwang.care.signals import delivery_confirmed
from shouwang.core.extensions import contribute

from . import actions
from .access import requests_for_user, sees_help_request, turns_into_supply_request
from .forms_requests import HelpRequestForm, line_formset
from .models import IssueSlip, SupplyRequest
from .slips import meal_label, request_rows, slip_lines

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shouwang.accounts.models import User
    from shouwang.care.models import MealDelivery
    from shouwang.helpdesk.models import HelpRequest


def may_turn_into_supply_request(user: User, help_request: HelpRequest) -> bool:
    """The same check as supplies:request_from_help."""
    return sees_help_request(user, help_request) and turns_into_supply_request(user, help_request)


def _turn_form(request: HttpRequest, help_request: HelpRequest) -> dict[str, Any]:
    return {
        "help_request": help_request,
        "form": HelpRequestForm(
            isolated=actions.is_isolated(help_request.requester),
            initial={"purpose": actions.purpose_of(help_request)},
        ),
        "lines": line_formset(),
    }


def has_supply_request(user: User, help_request: HelpRequest) -> bool:
    """Whoever sees the help request sees the supply request it became, on its page."""
    return SupplyRequest.objects.filter(help_request=help_request).exists() and sees_help_request(
        user, help_request
    )


def _supply_request(request: HttpRequest, help_request: HelpRequest) -> dict[str, Any]:
    supply_request = SupplyRequest.objects.get(help_request=help_request)
    slips = list(supply_request.slips.filter(received_at__isnull=False))
    return {
        "r": supply_request,
        "lines": request_rows(supply_request),
        "received": slips[0] if slips else None,
        # The link only for those who may open the supply request itself.
        "opens": requests_for_user(request.user).filter(pk=supply_request.pk).exists(),  # type: ignore[arg-type]
    }


contribute(
    "helpdesk.request",
    "supplies/request_help_form.html",
    visible=may_turn_into_supply_request,
    context=_turn_form,
)
contribute(
    "helpdesk.request",
    "supplies/request_help_status.html",
    visible=has_supply_request,
    context=_supply_request,
)


def sees_delivery(user: User, delivery: MealDelivery) -> bool:
    """The same check as care:delivery_detail."""
    return deliveries_for_user(user).filter(pk=delivery.pk).exists()


def _with_meals(user: User, deliveries: list[MealDelivery]) -> list[dict[str, Any]]:
    """The slips not yet received that go with these deliveries (the user's only)."""
    slips = list(
        IssueSlip.objects.filter(
            meal_delivery__in=deliveries_for_user(user).filter(pk__in=[d.pk for d in deliveries]),
            received_at__isnull=True,
        ).select_related("meal_delivery__slot")
    )
    lines = slip_lines(slips)
    return [{"meal": meal_label(slip), "lines": lines[slip.pk]} for slip in slips]


contribute(
    "care.delivery",
    "supplies/slip_meal.html",
    visible=sees_delivery,
    context=lambda request, delivery: {"slips": _with_meals(request.user, [delivery])},  # type: ignore[arg-type]
)


def _on_the_rounds(request: HttpRequest, buildings: list[Any]) -> dict[str, Any]:
    deliveries = [
        delivery
        for building in buildings
        for floor in building.floors
        for room in floor.rooms
        for delivery in room.deliveries
    ]
    return {"slips": _with_meals(request.user, deliveries) if deliveries else []}  # type: ignore[arg-type]


# The rounds page lists only the user's deliveries; the piece asks again.
contribute(
    "care.routes",
    "supplies/slip_meal_routes.html",
    visible=lambda user, buildings: True,
    context=_on_the_rounds,
)


def _confirm_with_meal(
    sender: Any, *, delivery: MealDelivery, acting_user: Any, **kwargs: Any
) -> None:
    actions.confirm_with_meal(delivery, acting_user=acting_user)


delivery_confirmed.connect(_confirm_with_meal, dispatch_uid="supplies.confirm_with_meal")
