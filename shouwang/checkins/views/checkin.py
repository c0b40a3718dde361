# Placeholder views: the module owner replaces each with the real one.
from django.http import Http404


def today(request):
    raise Http404


def privacy(request):
    raise Http404
