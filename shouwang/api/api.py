"""The JSON API, described by the OpenAPI schema it serves at /api/openapi.json
(and, for people, as Swagger UI at /api/docs).

Everything needs a logged-in session, as the pages do, and goes through the
same access helpers; unsafe methods need the CSRF token (send the csrftoken
cookie's value in the X-CSRFToken header). Each app keeps its endpoints in its
own `api.py` router, added here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI, Swagger
from ninja.security import django_auth

from shouwang.checkins.api import router as checkins_router
from shouwang.compliance.api import router as compliance_router
from shouwang.core import api_errors

api = NinjaAPI(
    title="Shouwang API",
    version="1",
    description=(
        "Session authentication: log in through the site first. Unsafe methods need "
        "the CSRF token in the X-CSRFToken header. Errors are "
        '{"detail", "code", "errors"}; 422 lists the messages per field.'
    ),
    auth=django_auth,
    urls_namespace="api",
    # Swagger UI from ninja's own static files (needs "ninja" in INSTALLED_APPS):
    # the CSP allows nothing from another host. No validator badge: it would
    # send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    # The schema holds no one's data, but nobody outside the college needs it;
    # like every page, it asks for a login.
    docs_decorator=login_required,
)
api_errors.install(api)
api.add_router("/", checkins_router)
api.add_router("/", compliance_router)
