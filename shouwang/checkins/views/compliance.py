# Placeholder views: the module owner replaces each with the real one.
from django.http import Http404


def overview(request):
    raise Http404


def missing(request):
    raise Http404


def missing_export(request):
    raise Http404
