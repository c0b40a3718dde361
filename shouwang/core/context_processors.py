from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest):
    return {"site_title": settings.SITE_NAME}
