"""The leaders' cockpit and each module's overview: thin views over `cockpit.build`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.checkins.forms import DayForm

from . import cockpit
from .access import require_reader


@login_required
@require_GET
def cockpit_page(request: AuthedRequest) -> HttpResponse:
    """Today's figures of every module, each with its trend and its list."""
    require_reader(request)
    form, incident, day = DayForm.chosen(request)
    built = cockpit.build(request.user, day, incident)
    return render(request, "reports/cockpit.html", {"form": form, "cockpit": built})


@login_required
@require_GET
def module_page(request: AuthedRequest, key: str) -> HttpResponse:
    """One module's figures over a longer trend, drawn by the same charts."""
    require_reader(request)
    if key not in cockpit.MODULES:
        raise Http404
    form, incident, day = DayForm.chosen(request)
    built = cockpit.build(request.user, day, incident, modules=[key], days=cockpit.MODULE_DAYS)
    context = {
        "form": form,
        "cockpit": built,
        "panel": built.panels[0],
        "modules": cockpit.TITLES.items(),
    }
    return render(request, "reports/cockpit_module.html", context)
