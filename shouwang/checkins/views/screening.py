# Placeholder views: the module owner replaces each with the real one.
from django.http import Http404


def flag_list(request):
    raise Http404


def flag_detail(request, pk):
    raise Http404


def risk_regions(request):
    raise Http404


def timeline(request, pk):
    raise Http404
