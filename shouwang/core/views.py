from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import get_job_for_user
from .http import HtmxRequest


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers (and the benchmarks' trivial view): the process answers.
    It touches no database, so it measures the server, not the data."""
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def job_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    """A background job's progress, for whoever started it; htmx polls its status."""
    job = get_job_for_user(request, pk)
    template = "core/job_detail.html#status" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})
