import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.forms import first_error
from shouwang.lib import clock
from shouwang.lib.signed_codes import CodeError
from shouwang.people.access import people_for_user
from shouwang.screening.access import flags_for_user

from . import actions
from .access import (
    deliveries_for_user,
    get_delivery_for_user,
    get_isolation_for_user,
    get_managed_delivery,
    get_own_delivery,
    isolations_for_user,
    lead_team_ids_of,
    own_isolation,
    require_card_writer,
    require_isolation_manager,
    team_ids_of,
)
from .audit import CareEvent
from .forms import (
    CardForm,
    ConfirmForm,
    ContactLogForm,
    DayForm,
    EndIsolationForm,
    HandleForm,
    IsolationForm,
    ProblemForm,
)
from .labels import delivery_pk_from, label_sheet, token_for
from .models import CareContact, IsolationRoom, MealDelivery, MealSlot

# A university may isolate a thousand people at once, and its leaders see
# every team's rounds: both lists come a page at a time. A building team's
# round of the day stays on one page.
ISOLATIONS_PER_PAGE = 50
STOPS_PER_PAGE = 300

# What a volunteer's pages load of a delivery: the door and the meal, nothing
# that leads to the person.
ROUTE_FIELDS = (
    "date",
    "due_at",
    "building",
    "floor",
    "room",
    "dietary_note",
    "status",
    "claimed_by",
    "delivered_at",
    "confirmed_via",
    "team",
    "slot",
)


@login_required
@require_GET
def isolation_list(request: AuthedRequest) -> HttpResponse:
    require_isolation_manager(request)
    isolations = isolations_for_user(request.user).select_related(
        "person__admin_class", "dorm_room", "room"
    )
    active = isolations.filter(ended_at__isnull=True).order_by("planned_end", "person__number")
    page = Paginator(active, ISOLATIONS_PER_PAGE).get_page(request.GET.get("page"))
    ended = isolations.filter(ended_at__isnull=False).order_by("-ended_at")[:30]
    rooms = IsolationRoom.objects.filter(is_active=True).annotate(
        used=Count("isolations", filter=Q(isolations__ended_at__isnull=True))
    )
    context = {"page": page, "ended": ended, "rooms": rooms}
    return render(request, "care/isolation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_new(request: AuthedRequest) -> HttpResponse:
    require_isolation_manager(request)
    initial = _initial_from_query(request)
    form = IsolationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["number"]
        try:
            isolation = actions.place_in_isolation(
                person,
                dorm_room=person.dorm_room if data["place"] == "dorm" else None,
                room=data["room"] if data["place"] == "room" else None,
                reason=data["reason"],
                dietary_note=data["dietary_note"],
                started_at=data["started_at"],
                planned_end=data["planned_end"],
                flag=data["flag"],
                acting_user=request.user,
                request=request,
            )
        except actions.RoomFull:
            form.add_error("room", _("This room is full: choose another."))
        except actions.AlreadyIsolated:
            form.add_error("number", _("This person is already in isolation."))
        else:
            # Today's remaining meals start at once; the nightly job does the rest.
            actions.generate_deliveries(clock.today())
            messages.success(request, _("%(name)s is in isolation.") % {"name": person.name})
            return redirect(isolation)
    return render(request, "care/isolation_form.html", {"form": form})


def _initial_from_query(request: AuthedRequest) -> dict:
    """?person=<pk> or ?flag=<pk> from the screening pages fill in the form."""
    initial: dict = {}
    flag_pk, person_pk = request.GET.get("flag", ""), request.GET.get("person", "")
    people = people_for_user(request.user)
    if flag_pk.isdigit():
        flag = flags_for_user(request.user).filter(pk=flag_pk).select_related("person").first()
        if flag is not None:
            initial.update(
                flag=flag.pk, number=flag.person.number, reason=flag.get_reason_display()
            )
    elif person_pk.isdigit():
        person = people.filter(pk=person_pk).first()
        if person is not None:
            initial["number"] = person.number
    return initial


@login_required
@require_GET
def isolation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    isolation = get_isolation_for_user(request, pk)
    audit.record(
        CareEvent.ISOLATION_VIEWED,
        isolation.person,
        acting_user=request.user,
        request=request,
        isolation=isolation.pk,
    )
    deliveries = isolation.deliveries.select_related("slot", "claimed_by", "handled_by__person")
    context = {
        "isolation": isolation,
        "person": isolation.person,
        "deliveries": deliveries.order_by("-due_at"),
        "contacts": isolation.contacts.select_related("author__person"),
        "end_form": EndIsolationForm(),
        "log_form": ContactLogForm(),
        "handle_form": HandleForm(),
        "now": clock.now(),
    }
    return render(request, "care/isolation_detail.html", context)


@login_required
@require_POST
def isolation_end(request: AuthedRequest, pk: int) -> HttpResponse:
    isolation = get_isolation_for_user(request, pk)
    form = EndIsolationForm(request.POST)
    if not isolation.is_active:
        messages.info(request, _("This isolation has already ended."))
    elif form.is_valid():
        actions.end_isolation(
            isolation, note=form.cleaned_data["note"], acting_user=request.user, request=request
        )
        messages.success(request, _("The isolation has ended."))
    else:
        messages.error(request, first_error(form))
    return redirect(isolation)


@login_required
@require_POST
def contact_log(request: AuthedRequest, pk: int) -> HttpResponse:
    isolation = get_isolation_for_user(request, pk)
    form = ContactLogForm(request.POST)
    if form.is_valid():
        actions.send_care(
            isolation,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            acting_user=request.user,
            request=request,
        )
        messages.success(request, _("Logged."))
    else:
        messages.error(request, first_error(form))
    return redirect(isolation)


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    """The isolated person's own page: status, place, meals, whom to call, what was sent."""
    isolation = own_isolation(request.user)
    context: dict = {"isolation": isolation, "slots": MealSlot.objects.filter(is_active=True)}
    if isolation is not None:
        admin_class = isolation.person.admin_class
        context.update(
            counsellor=admin_class.counsellor if admin_class else None,
            meals=isolation.deliveries.filter(date=clock.today()).select_related("slot"),
            received=isolation.contacts.filter(
                kind__in=[CareContact.Kind.CARD, CareContact.Kind.VIDEO]
            ).select_related("author__person"),
            problem_form=ProblemForm(),
        )
    return render(request, "care/mine.html", context)


@login_required
@require_POST
def delivery_received(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_own_delivery(request, pk)
    actions.confirm_receipt(delivery)
    messages.success(request, _("Thank you: the meal is recorded as received."))
    return redirect("care:mine")


@login_required
@require_POST
def delivery_problem(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_own_delivery(request, pk)
    form = ProblemForm(request.POST)
    if form.is_valid():
        actions.report_problem(
            delivery,
            problem=form.cleaned_data["problem"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
        messages.success(request, _("Your counsellor has been told."))
    else:
        messages.error(request, first_error(form))
    return redirect("care:mine")


@login_required
@require_GET
def routes(request: AuthedRequest) -> HttpResponse:
    """A volunteer's round: their teams' deliveries of the day, building → floor → room."""
    day_form = DayForm(request.GET)
    day, slot, status = day_form.day, day_form.chosen_slot, day_form.chosen_status
    deliveries = _scoped_day(request, day, slot, status)
    # A leader's rounds are every team's: a page of stops at a time, in walking order.
    page = Paginator(actions.walking_order(deliveries), STOPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "day": day,
        "slot": slot,
        "status": status,
        "statuses": MealDelivery.Status.choices,
        "slots": MealSlot.objects.filter(is_active=True),
        "page": page,
        "buildings": actions.route_list(page),
        "in_team": request.user.oversees or bool(team_ids_of(request.user)),
    }
    return render(request, "care/routes.html", context)


def _scoped_day(
    request: AuthedRequest, day: dt.date, slot: MealSlot | None, status: str = ""
) -> list[MealDelivery]:
    # Only ROUTE_FIELDS: the route list never loads anything of the person.
    deliveries = deliveries_for_user(request.user).filter(date=day).only(*ROUTE_FIELDS)
    if slot is not None:
        deliveries = deliveries.filter(slot=slot)
    if status:
        deliveries = deliveries.filter(status=status)
    # Three slots for thousands of deliveries: attached, not joined, and each
    # slot's label and each stop's link worked out here rather than by the
    # template for every stop (docs/performance.md: the route list's time
    # is its rendering).
    slots = {slot.pk: slot for slot in MealSlot.objects.all()}
    for choice in slots.values():
        choice.label = f"{choice.name} {choice.time:%H:%M}"  # type: ignore[attr-defined]
    link = reverse("care:delivery_detail", args=[0]).removesuffix("0/")
    found = list(deliveries)
    for delivery in found:
        delivery.slot = slots[delivery.slot_id]
        delivery.link = f"{link}{delivery.pk}/"  # type: ignore[attr-defined]
    return found


@login_required
@require_GET
def labels(request: AuthedRequest) -> HttpResponse:
    """The printable sheet of door labels for the day (or one meal of it)."""
    day_form = DayForm(request.GET)
    deliveries = actions.route_list(_scoped_day(request, day_form.day, day_form.chosen_slot))
    ordered = [
        delivery
        for building in deliveries
        for floor in building.floors
        for room in floor.rooms
        for delivery in room.deliveries
    ]

    def url_for(delivery: MealDelivery) -> str:
        return request.build_absolute_uri(reverse("care:delivery_scan", args=[token_for(delivery)]))

    pdf = label_sheet(ordered, url_for)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{day_form.day:%Y%m%d}.pdf"'
    return response


def _delivery_page(
    request: AuthedRequest, delivery: MealDelivery, token: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "delivery": delivery,
        "token": token,
        "mine": delivery.claimed_by_id == request.user.person_id,
        "can_handle": delivery.team_id in lead_team_ids_of(request.user) or request.user.oversees,
        "handle_form": HandleForm(),
    }
    return render(request, "care/delivery_detail.html", context, status=status)


@login_required
@require_GET
def delivery_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _delivery_page(request, get_delivery_for_user(request, pk))


@login_required
@require_GET
def delivery_scan(request: AuthedRequest, token: str) -> HttpResponse:
    """A door label's QR code opens its delivery, ready to confirm with one tap."""
    try:
        pk = delivery_pk_from(token)
    except CodeError as error:
        return render(request, "care/scan_refused.html", {"error": str(error)}, status=400)
    return _delivery_page(request, get_delivery_for_user(request, pk), token=token)


@login_required
@require_POST
def delivery_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_delivery_for_user(request, pk)
    if not request.user.person_id:
        raise PermissionDenied
    try:
        actions.claim_delivery(delivery, request.user.person)  # type: ignore[arg-type]  # person_id is set
    except actions.AlreadyTaken as taken:
        messages.warning(request, _taken_message(taken))
    except actions.NotOpen:
        messages.info(request, _("This meal has already been recorded."))
    else:
        messages.success(request, _("It is yours: take it to %(door)s.") % {"door": delivery.door})
    return redirect(delivery)


def _taken_message(taken: actions.AlreadyTaken) -> str:
    if taken.by is not None:
        return _("%(name)s has already taken this meal.") % {"name": taken.by.name}
    return _("Someone else has already taken this meal.")


@login_required
@require_POST
def delivery_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_delivery_for_user(request, pk)
    if not request.user.person_id:
        raise PermissionDenied
    form = ConfirmForm(request.POST, delivery=delivery)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(delivery)
    try:
        actions.confirm_delivery(
            delivery,
            person=request.user.person,  # type: ignore[arg-type]  # person_id is set
            via=form.via,
            acting_user=request.user,
            request=request,
        )
    except actions.AlreadyTaken as taken:
        messages.warning(request, _taken_message(taken))
    except actions.NotOpen:
        messages.info(request, _("This meal has already been recorded."))
    else:
        messages.success(request, _("Delivered: %(door)s.") % {"door": delivery.door})
    return redirect(delivery)


@login_required
@require_POST
def delivery_handle(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_managed_delivery(request, pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        actions.handle_delivery(
            delivery, note=form.cleaned_data["note"], acting_user=request.user, request=request
        )
        messages.success(request, _("Recorded."))
    else:
        messages.error(request, first_error(form))
    target = request.POST.get("next", "")
    if target == "isolation":
        return redirect("care:isolation_detail", delivery.isolation_id)
    return redirect("care:delivery_detail", delivery.pk)


@login_required
@require_http_methods(["GET", "POST"])
def card_new(request: AuthedRequest) -> HttpResponse:
    """A card or video for an isolated person, chosen by their door."""
    require_card_writer(request)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.send_care(
            data["isolation"],
            kind=data["kind"],
            body=data["body"],
            link=data["link"],
            signed=data["signed"],
            acting_user=request.user,
            request=request,
        )
        messages.success(request, _("Sent. Thank you."))
        return redirect("care:card_new")
    # Shown above the form: whom the person will read it from.
    sender = CareContact()
    sender.set_sender(request.user)
    return render(request, "care/card_form.html", {"form": form, "sender": sender})
