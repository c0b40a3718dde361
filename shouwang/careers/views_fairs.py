"""Online job fairs: the list and a fair's page for everyone; registering
and typing a room's code for graduates; fairs, rooms, attendance files, the
counts, the announcement and the news for those who run them; offers."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.attendance_files import COLUMNS
from shouwang.core.forms import first_error
from shouwang.lib import clock
from shouwang.lib.pdf import qr_svg
from shouwang.people.models import Person

from . import actions, report
from .access import (
    announces_fairs,
    fair_units_for_user,
    fairs_for_user,
    get_attendance_import_for_user,
    get_fair_for_user,
    get_own_offer,
    get_run_fair_for_user,
    get_run_room_for_user,
    graduates_for_user,
    own_graduate,
    records_offers,
    require_announcer,
    require_runner,
    run_fairs_for_user,
    runs_careers,
    runs_fair,
)
from .forms_fairs import (
    AcceptOfferForm,
    AttendanceUploadForm,
    FairForm,
    FairsChoiceForm,
    OfferForm,
    RoomCodeForm,
    RoomEmployerForm,
    RoomForm,
)
from .models import FairAttendanceImport, JobFair, Offer, Participation, Registration
from .queries import fair_figures, room_counts, totals
from .tasks_fairs import check_fair_attendance, commit_fair_attendance


def _refused(request: AuthedRequest, fair: JobFair | None, reason: str) -> HttpResponse:
    """A clear 403: what the user tried is for graduates, and why."""
    return render(
        request, "careers/fair_refused.html", {"fair": fair, "reason": reason}, status=403
    )


def _not_graduate(request: AuthedRequest, fair: JobFair) -> HttpResponse:
    return _refused(
        request,
        fair,
        _(
            "Only graduating students register for a job fair and are counted in its rooms: "
            "your account is not one of a graduate."
        ),
    )


@login_required
@require_GET
def fair_list(request: AuthedRequest) -> HttpResponse:
    """The fairs to come and those held, each with its counts; a graduate's own
    registrations, rooms and offers."""
    user = request.user
    rows = fair_figures(fairs_for_user(user).select_related("unit").order_by("held_on", "pk"))
    now = clock.now()
    graduate = own_graduate(user)
    registered: set[int] = set()
    rooms_entered: dict[int, int] = {}
    offers: list[Offer] = []
    if graduate is not None:
        registered = set(
            Registration.objects.filter(person_id=graduate.person_id).values_list(
                "fair_id", flat=True
            )
        )
        rooms_entered = dict(
            Participation.objects.filter(person_id=graduate.person_id)
            .order_by()
            .values("fair_id")
            .annotate(n=Count("pk"))
            .values_list("fair_id", "n")
        )
        offers = list(graduate.offers.select_related("employer", "position", "fair"))
    # Each fair's counts, whether the graduate registered, and the rooms they were counted in.
    listed = [(row, row.fair.pk in registered, rooms_entered.get(row.fair.pk, 0)) for row in rows]
    return render(
        request,
        "careers/fair_list.html",
        {
            "upcoming": [item for item in listed if item[0].fair.ends > now],
            "past": [item for item in reversed(listed) if item[0].fair.ends <= now],
            "graduate": graduate,
            "offers": offers,
            "runs": runs_careers(user),
            "announces": announces_fairs(user),
            "records_offers": records_offers(user),
        },
    )


@login_required
@require_GET
def fair_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A fair: when, where, its employers and their positions. A registered
    graduate sees the rooms' links and types a room's code; the runners see
    the codes, each room's count, the registrations and the offers it led to."""
    fair = get_fair_for_user(request, pk)
    user = request.user
    rooms = list(
        fair.employers.select_related("employer")
        .prefetch_related("positions")
        .order_by("employer__name")
    )
    graduate = own_graduate(user)
    registration = None
    entered: set[int] = set()
    if graduate is not None:
        registration = Registration.objects.filter(fair=fair, person_id=graduate.person_id).first()
        entered = set(
            Participation.objects.filter(fair=fair, person_id=graduate.person_id).values_list(
                "room_id", flat=True
            )
        )
    runs = runs_fair(user, fair)
    now = clock.now()
    context = {
        "fair": fair,
        "rooms": rooms,
        "graduate": graduate,
        "registration": registration,
        "entered": entered,
        "runs": runs,
        "on": fair.starts <= now <= fair.ends,
        "over": now > fair.ends,
        "code_form": RoomCodeForm(initial={"code": request.GET.get("code", "")[:16]}),
        "shows_links": runs or registration is not None,
    }
    if runs:
        participations, participants = totals(JobFair.objects.filter(pk=fair.pk))
        context.update(
            room_counts=room_counts(fair),
            participations=participations,
            participants=participants,
            registrations=fair.registrations.count(),
            fair_offers=fair.offers.select_related(
                "graduate__person", "employer", "position"
            ).order_by("-offered_on", "-pk"),
            announces=announces_fairs(user),
            announcement=report.announcement_of(fair),
            news=report.news_of(fair),
        )
    return render(request, "careers/fair_detail.html", context)


@login_required
@require_POST
def fair_register(request: AuthedRequest, pk: int) -> HttpResponse:
    """A graduate registers for the fair; twice is once, and never after it ends."""
    fair = get_fair_for_user(request, pk)
    graduate = own_graduate(request.user)
    if graduate is None:
        return _not_graduate(request, fair)
    try:
        actions.register(fair, graduate.person, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("You are registered: the rooms' links are below."))
    return redirect(fair)


@login_required
@require_POST
def fair_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """A registered graduate types the code an employer's room shows: counted there once."""
    fair = get_fair_for_user(request, pk)
    graduate = own_graduate(request.user)
    if graduate is None:
        return _not_graduate(request, fair)
    form = RoomCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    elif not Registration.objects.filter(fair=fair, person_id=graduate.person_id).exists():
        messages.error(request, _("Register for the fair first, then type the room's code."))
    else:
        try:
            participation = actions.enter_room(fair, graduate.person, form.cleaned_data["code"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("You are counted in the room of %(employer)s.")
                % {"employer": participation.room.employer.name},
            )
    return redirect(fair)


@login_required
@require_http_methods(["GET", "POST"])
def fair_form(request: AuthedRequest) -> HttpResponse:
    """A new fair, for a unit the runner may hold one for."""
    require_runner(request)
    units = fair_units_for_user(request.user)
    person = request.user.person
    own_unit = person.unit_id if person else None
    initial = {"unit": own_unit} if own_unit and units.filter(pk=own_unit).exists() else {}
    form = FairForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        fair = actions.save_fair(form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The fair is saved: now bring its employers."))
        return redirect(fair)
    return render(request, "careers/fair_form.html", {"form": form, "fair": None})


@login_required
@require_http_methods(["GET", "POST"])
def fair_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = get_run_fair_for_user(request, pk)
    form = FairForm(request.POST or None, instance=fair, units=fair_units_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        actions.save_fair(form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The fair is saved."))
        return redirect(fair)
    return render(request, "careers/fair_form.html", {"form": form, "fair": fair})


@login_required
@require_http_methods(["GET", "POST"])
def fair_room(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an employer's room to the fair, or change one: its link and the
    positions it brings. The employer is chosen first (?employer=)."""
    fair = get_run_fair_for_user(request, pk)
    chooser = RoomEmployerForm(request.GET if "employer" in request.GET else None)
    employer = chooser.cleaned_data["employer"] if chooser.is_valid() else None
    room = fair.employers.filter(employer=employer).first() if employer else None
    form = None
    if employer is not None:
        initial = (
            {"room_link": room.room_link, "positions": list(room.positions.all())} if room else {}
        )
        form = RoomForm(request.POST or None, employer=employer, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                room = actions.save_room(
                    fair,
                    employer,
                    room_link=form.cleaned_data["room_link"],
                    positions=form.cleaned_data["positions"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The room of %(employer)s is saved; its code is %(code)s.")
                    % {"employer": employer.name, "code": room.room_code},
                )
                return redirect(fair)
    return render(
        request,
        "careers/fair_room.html",
        {"fair": fair, "chooser": chooser, "employer": employer, "room": room, "form": form},
    )


@login_required
@require_GET
def fair_room_code(request: AuthedRequest, pk: int) -> HttpResponse:
    """The room's code, large, with a QR code of the fair's page holding it:
    for the employer to show in their video room, or to print."""
    room = get_run_room_for_user(request, pk)
    address = request.build_absolute_uri(
        f"{reverse('careers:fair_detail', args=[room.fair_id])}?code={room.room_code}"
    )
    return render(
        request,
        "careers/fair_room_code.html",
        {
            "room": room,
            "fair": room.fair,
            "address": address,
            "qr": base64.b64encode(qr_svg(address, 240)).decode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fair_attendance_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """The platform's attendance export of one room, checked in the background."""
    room = get_run_room_for_user(request, pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = FairAttendanceImport.objects.create(
            room=room, file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_fair_attendance, started_by=request.user)
        return redirect("careers:fair_attendance_import", pk=item.pk)
    imports = room.imports.select_related("uploaded_by")[:10]
    return render(
        request,
        "careers/fair_attendance_upload.html",
        {
            "room": room,
            "fair": room.fair,
            "form": form,
            "imports": imports,
            "columns": COLUMNS.help(),
        },
    )


@login_required
@require_GET
def fair_attendance_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a room's file found: the graduates to count, and the rows no graduate was found for."""
    item = get_attendance_import_for_user(request, pk)
    matched = item.summary.get("matched", {})
    found = Person.objects.filter(pk__in=[int(key) for key in matched]).order_by("number")
    errors, more_errors = item.error_preview(COLUMNS)
    template = "careers/fair_attendance_import.html"
    if request.htmx:
        template += "#status"
    return render(
        request,
        template,
        {
            "item": item,
            "room": item.room,
            "fair": item.room.fair,
            "job": item.job,
            "found": [(person, matched.get(str(person.pk))) for person in found],
            "errors": errors,
            "more_errors": more_errors,
        },
    )


@login_required
@require_POST
def fair_attendance_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_attendance_import_for_user(request, pk)
    if not item.start_commit(commit_fair_attendance, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("careers:fair_attendance_import", pk=item.pk)


@login_required
@require_GET
def fair_counts(request: AuthedRequest) -> HttpResponse:
    """Participations (人次) and participants (人), per fair and in total,
    with registrations and rooms: a few queries whatever the numbers."""
    fairs = fairs_for_user(request.user).order_by("held_on", "pk")
    rows = fair_figures(fairs)
    participations, participants = totals(fairs)
    return render(
        request,
        "careers/fair_counts.html",
        {
            "rows": rows,
            "participations": participations,
            "participants": participants,
            "registrations": sum(row.registrations for row in rows),
            "rooms": sum(row.rooms for row in rows),
        },
    )


def _chosen_fairs(
    request: AuthedRequest, choices: Q, *, bulletin: bool
) -> tuple[FairsChoiceForm, list[JobFair]]:
    fairs = run_fairs_for_user(request.user).filter(choices).order_by("held_on", "pk")
    data = (
        request.POST
        if request.method == "POST"
        else request.GET
        if "fairs" in request.GET
        else None
    )
    form = FairsChoiceForm(
        data,
        fairs=fairs,
        bulletin=bulletin,
        initial={"fairs": list(fairs), "on_bulletin": True},
    )
    chosen = (
        list(form.cleaned_data["fairs"]) if data is not None and form.is_valid() else list(fairs)
    )
    return form, chosen


@login_required
@require_http_methods(["GET", "POST"])
def fairs_announce(request: AuthedRequest) -> HttpResponse:
    """The notice of the fairs to come, written from their records: previewed, then sent."""
    require_announcer(request)
    form, chosen = _chosen_fairs(request, Q(held_on__gte=clock.today()), bulletin=True)
    fairs = JobFair.objects.filter(pk__in=[fair.pk for fair in chosen])
    if request.method == "POST" and form.is_valid():
        try:
            announced = report.announce_fairs(
                fairs, on_bulletin=form.cleaned_data["on_bulletin"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The notice is sent to the graduating classes."))
            return redirect(announced.notice)
    title, body = report.notice_text(fairs) if chosen else ("", "")
    return render(
        request,
        "careers/fairs_text.html",
        {"form": form, "chosen": chosen, "title": title, "body": body, "announcing": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def fairs_news(request: AuthedRequest) -> HttpResponse:
    """The news article of the fairs held, written from their counts: previewed, then published."""
    require_announcer(request)
    form, chosen = _chosen_fairs(request, Q(held_on__lte=clock.today()), bulletin=False)
    fairs = JobFair.objects.filter(pk__in=[fair.pk for fair in chosen])
    if request.method == "POST" and form.is_valid():
        try:
            article = report.publish_fair_news(fairs, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The article is published on the bulletin's news."))
            return redirect(article)
    title, body = report.article_text(fairs) if chosen else ("", "")
    return render(
        request,
        "careers/fairs_text.html",
        {"form": form, "chosen": chosen, "title": title, "body": body, "announcing": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_form(request: AuthedRequest) -> HttpResponse:
    """Record an offer: a graduate their own, a runner any graduate's they see.
    The employer is chosen first (?employer=), then the offer."""
    user = request.user
    if not records_offers(user):
        raise PermissionDenied
    chooser = RoomEmployerForm(request.GET if "employer" in request.GET else None)
    fair_pk = request.GET.get("fair", "")
    fair_pk = fair_pk if fair_pk.isdigit() else ""
    if not chooser.is_valid():
        return render(request, "careers/offer_form.html", {"chooser": chooser, "fair_pk": fair_pk})
    employer = chooser.cleaned_data["employer"]
    runner = runs_careers(user)
    graduates = Person.objects.filter(graduate__in=graduates_for_user(user)) if runner else None
    form = OfferForm(
        request.POST or None,
        employer=employer,
        graduates=graduates,
        initial={"offered_on": clock.today(), "fair": fair_pk or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        graduate = data["graduate"].graduate if runner else own_graduate(user)
        if graduate is None:
            raise PermissionDenied
        offer = actions.record_offer(
            graduate,
            employer,
            offered_on=data["offered_on"],
            position=data["position"],
            fair=data["fair"],
            acting_user=user,
        )
        messages.success(request, _("The offer is recorded."))
        if offer.graduate.person_id == user.person_id:
            return redirect("careers:fair_list")
        return redirect(offer.fair or "careers:fair_list")
    return render(
        request,
        "careers/offer_form.html",
        {"form": form, "employer": employer, "fair_pk": fair_pk},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    """The graduate takes the offer: the destination, with its evidence, goes
    to their counsellor to confirm."""
    offer = get_own_offer(request, pk)
    if offer.status == Offer.Status.DECLINED:
        messages.warning(request, _("You declined this offer."))
        return redirect("careers:fair_list")
    form = AcceptOfferForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.accept_offer(
                offer,
                form.cleaned_data["destination"],
                files=form.cleaned_data["evidence"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Congratulations! Your counsellor will confirm your destination.")
            )
            return redirect("careers:fair_list")
    return render(request, "careers/offer_accept.html", {"offer": offer, "form": form})


@login_required
@require_POST
def offer_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = get_own_offer(request, pk)
    try:
        actions.decline_offer(offer, acting_user=request.user)
    except ValidationError as error:
        messages.warning(request, error.messages[0])
    else:
        messages.success(request, _("The offer is declined."))
    return redirect("careers:fair_list")
