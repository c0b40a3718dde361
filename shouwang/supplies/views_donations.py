"""Donors and donations: the donor register (contacts for leaders and store
keepers, read on purpose and audited), pledges, the count at the store,
photos, the thank-you letter, where a donation went and its public disclosure.

Leaders, admins and store keepers run the donations of their units; a donor
of the roster sees their own, and may download their own letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.core.forms import first_error
from shouwang.core.uploads import serve
from shouwang.people.forms import RevealPhoneForm

from . import actions, disclosure, tracing
from .access import (
    donations_for_user,
    donors_for_user,
    get_donation_for_user,
    get_donor_for_user,
    is_donor_of,
    manages_donation,
    manages_supplies,
    require_manager,
    sees_donor_contact,
    stores_for_user,
    units_managed,
)
from .audit import SuppliesEvent
from .certificate import certificate_pdf
from .forms_donations import CancelForm, CountForm, DonorForm, PhotoForm, PledgeForm, pledge_lines
from .models import Donation, DonationLine

PAGE_SIZE = 50


@dataclass(frozen=True)
class LineRow:
    """A donation line as its page says it: pledged, counted, and the difference."""

    line: DonationLine

    @property
    def pledged(self) -> str:
        return self.line.said(self.line.pledged)

    @property
    def received(self) -> str:
        return self.line.said(self.line.received)

    @property
    def difference(self) -> str:
        difference = self.line.difference
        if not difference:
            return ""
        return f"+{self.line.said(difference)}" if difference > 0 else self.line.said(difference)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _lines() -> Any:
    # Ordered by position alone: the model's ordering would join the donation again.
    lines = DonationLine.objects.select_related("item").prefetch_related("item__packs")
    return Prefetch("lines", lines.order_by("position", "pk"))


# Donors ---------------------------------------------------------------------


@login_required
@require_GET
def donor_list(request: AuthedRequest) -> HttpResponse:
    """The donor register, phones masked."""
    require_manager(request)
    donors = (
        donors_for_user(request.user)
        .select_related("person__unit")
        .annotate(given=Count("donations"))
        .order_by("kind", "name", "person__name", "pk")
    )
    page = Paginator(donors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supplies/donor_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def donor_new(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donor = actions.save_donor(form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The donor is in the register."))
        return redirect("supplies:donor_detail", donor.pk)
    return render(request, "supplies/donor_form.html", {"form": form})


@login_required
@require_GET
def donor_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    donor = get_donor_for_user(request.user, pk)
    donations = (
        donations_for_user(request.user)
        .filter(donor=donor)
        .select_related("store")
        .prefetch_related(_lines())
    )
    context = {"donor": donor, "donations": donations, "reveal_form": RevealPhoneForm()}
    return render(request, "supplies/donor_detail.html", context)


@login_required
@require_POST
def donor_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    """The donor's full phone number, for a reason that is recorded."""
    donor = get_donor_for_user(request.user, pk)
    if not sees_donor_contact(request.user):
        raise PermissionDenied
    form = RevealPhoneForm(request.POST)
    if form.is_valid():
        audit.record(
            SuppliesEvent.DONOR_CONTACT_READ,
            donor,
            acting_user=request.user,
            request=request,
            reason=form.cleaned_data["reason"],
        )
    context = {"donor": donor, "reveal_form": form, "revealed": form.is_valid()}
    return render(request, "supplies/donor_detail.html#contact", context)


@login_required
@require_http_methods(["GET", "POST"])
def donor_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form shows the contact in full: opening it is a read of the contact."""
    donor = get_donor_for_user(request.user, pk)
    if not sees_donor_contact(request.user):
        raise PermissionDenied
    form = DonorForm(request.POST or None, instance=donor)
    if request.method == "POST" and form.is_valid():
        actions.save_donor(form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The donor is saved."))
        return redirect("supplies:donor_detail", donor.pk)
    if request.method == "GET" and donor.contact_phone:
        audit.record(
            SuppliesEvent.DONOR_CONTACT_READ,
            donor,
            acting_user=request.user,
            request=request,
            reason="edit",
        )
    return render(request, "supplies/donor_form.html", {"form": form, "donor": donor})


# Donations --------------------------------------------------------------------


@login_required
@require_GET
def donation_list(request: AuthedRequest) -> HttpResponse:
    """The donations a user runs or gave, newest first; `?status=` narrows them."""
    donations = (
        donations_for_user(request.user)
        .select_related("donor__person", "store", "unit")
        .prefetch_related(_lines())
    )
    status = request.GET.get("status", "")
    if status in Donation.Status.values:
        donations = donations.filter(status=status)
    page = Paginator(donations, PAGE_SIZE).get_page(request.GET.get("page"))
    for donation in page:
        # As pledged until counted in, then as counted.
        donation.shown_items = donation.items_said(  # type: ignore[attr-defined]
            received=donation.status == Donation.Status.RECEIVED
        )
    context = {
        "page": page,
        "status": status,
        "statuses": Donation.Status.choices,
        "manages": manages_supplies(request.user),
    }
    return render(request, "supplies/donation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def donation_new(request: AuthedRequest) -> HttpResponse:
    """A pledge: the donor, the college, the wish about publicity and the lines."""
    require_manager(request)
    units = units_managed(request.user)
    person_unit = request.user.person.unit_id if request.user.person else None
    unit = (units.filter(pk=person_unit).first() if person_unit else None) or units.first()
    if unit is None:
        raise PermissionDenied
    data = request.POST or None
    form = PledgeForm(data, units=units, unit=unit, initial={"donor": request.GET.get("donor")})
    lines = pledge_lines(data)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            donation = actions.pledge(
                form.cleaned_data["donor"],
                lines.pledges(),
                unit=form.cleaned_data["unit"],
                publicity=form.cleaned_data["publicity"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pledge is recorded."))
            return redirect(donation)
    return render(request, "supplies/donation_form.html", {"form": form, "lines": lines})


@login_required
@require_GET
def donation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    donation = get_donation_for_user(request.user, pk)
    lines = donation.lines.select_related("item").prefetch_related("item__packs")
    manages = manages_donation(request.user, donation)
    context = {
        "donation": donation,
        "lines": [LineRow(line) for line in lines],
        "manages": manages,
        "mine": is_donor_of(request.user, donation),
        "sees_contact": sees_donor_contact(request.user),
        "trace": tracing.trace(donation) if donation.status == Donation.Status.RECEIVED else None,
        "photos": donation.photos.all(),
        "disclosure": donation.disclosure,
        "cancel_form": CancelForm(),
        "photo_form": PhotoForm(),
    }
    return render(request, "supplies/donation_detail.html", context)


def _managed_donation(request: AuthedRequest, pk: int) -> Donation:
    """The donation, for those who run it: 404 outside the user's donations,
    403 for one they see but do not run (their own gift)."""
    donation = get_donation_for_user(request.user, pk)
    if not manages_donation(request.user, donation):
        raise PermissionDenied
    return donation


@login_required
@require_http_methods(["GET", "POST"])
def donation_receive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Count a pledge in at a store the user runs."""
    donation = _managed_donation(request, pk)
    if donation.status != Donation.Status.PLEDGED:
        messages.error(request, _("This donation is not waiting to be counted in."))
        return redirect(donation)
    lines = list(donation.lines.select_related("item").prefetch_related("item__packs"))
    stores = stores_for_user(request.user)
    form = CountForm(
        request.POST or None, lines=lines, stores=stores, initial={"store": stores.first()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.receive_donation(
                donation, form.cleaned_data["store"], form.counts, acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The donation is counted in."))
            return redirect(donation)
    return render(request, "supplies/donation_receive.html", {"donation": donation, "form": form})


@login_required
@require_POST
def donation_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    donation = _managed_donation(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(donation)
    try:
        actions.cancel_donation(
            donation, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The pledge is cancelled."))
    return redirect(donation)


@login_required
@require_POST
def donation_photo_add(request: AuthedRequest, pk: int) -> HttpResponse:
    donation = _managed_donation(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(donation)
    try:
        actions.add_donation_photos(donation, form.cleaned_data["photos"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The photos are kept."))
    return redirect(donation)


@login_required
@require_GET
def donation_photo(request: AuthedRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo, to those who may see the donation; never from a public URL."""
    donation = get_donation_for_user(request.user, pk)
    photo = get_object_or_404(donation.photos, pk=photo_pk)
    return serve(photo.file, name=photo.name)


@login_required
@require_GET
def donation_certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    """The thank-you letter: for those who run the donation and for the donor."""
    donation = get_donation_for_user(request.user, pk)
    if not (manages_donation(request.user, donation) or is_donor_of(request.user, donation)):
        raise PermissionDenied
    if donation.status != Donation.Status.RECEIVED:
        raise Http404
    response = HttpResponse(certificate_pdf(donation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="donation-{donation.pk}.pdf"'
    return response


@login_required
@require_POST
def donation_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Publish (or bring up to date) the donation's disclosure on the bulletin."""
    donation = _managed_donation(request, pk)
    try:
        disclosure.publish(donation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The disclosure is published on the bulletin."))
    return redirect(donation)
