from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """For load balancers (and the benchmarks' trivial view): the process answers.
    It touches no database, so it measures the server, not the data."""
    return JsonResponse({"status": "ok"})
