"""The campus sign-on's views: the libraries' own, answering 404 while their
provider is not configured, with a page that says why a campus ID was refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_cas_ng import views as cas_views
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc import views as oidc_views

from .sso import (
    CAS_BACKEND,
    OIDC_BACKEND,
    cas_enabled,
    oidc_enabled,
    refusal_of,
)


def refused(request: HttpRequest, provider: str) -> HttpResponse:
    """The page for a campus ID the roster does not let in, or a sign-on that failed."""
    cas_logout_url = ""
    if provider == "cas":
        # The campus session stays open: to try as someone else, end it first.
        login_page = request.build_absolute_uri(reverse("accounts:login"))
        cas_logout_url = get_cas_client(request=request).get_logout_url(login_page)
    context = {
        "refusal": refusal_of(request),
        "retry_url": reverse(f"accounts:{provider}_login"),
        "cas_logout_url": cas_logout_url,
        "contact": settings.SSO_CONTACT,
    }
    return render(request, "accounts/sign_on_refused.html", context, status=403)


def drop_unsafe_next(request: HttpRequest) -> None:
    """django-cas-ng follows `next` unchecked on login and logout (its own
    check reads a setting that is always there): an address on another site
    is dropped here."""
    target = request.GET.get("next")
    if target and not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        query = request.GET.copy()
        del query["next"]
        request.GET = QueryDict(query.urlencode())


class CASLoginView(cas_views.LoginView):
    """Sends the visitor to the CAS server and, back with a ticket, logs them in.
    The CAS server also posts its single-logout requests here."""

    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cas_enabled():
            raise Http404
        drop_unsafe_next(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except PermissionDenied:
            return refused(request, "cas")


class OIDCLoginView(oidc_views.OIDCAuthenticationRequestView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OIDCCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self) -> HttpResponse:
        return refused(self.request, "oidc")


cas_login = CASLoginView.as_view()
oidc_login = OIDCLoginView.as_view()
oidc_callback = OIDCCallbackView.as_view()
password_logout = auth_views.LogoutView.as_view()


def on_to_campus_logout(request: HttpRequest, url: str) -> HttpResponse:
    """A page that sends the browser on to the campus server's logout. Not a
    redirect: the logout button is a form, and the policy's form-action
    ('self') forbids a form's answer to redirect to another site."""
    response = render(request, "accounts/campus_logout.html", {"url": url})
    response["Refresh"] = f"0;url={url}"
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponseBase:
    """Log out; someone signed on by the campus is logged out of it too, where
    the provider offers a logout address (CAS always; OIDC when configured)."""
    backend = request.session.get(BACKEND_SESSION_KEY)
    if backend == CAS_BACKEND and cas_enabled():
        drop_unsafe_next(request)
        response = cas_views.LogoutView.as_view()(request)
        return on_to_campus_logout(request, response["Location"])
    if backend == OIDC_BACKEND and settings.OIDC_OP_LOGOUT_ENDPOINT:
        params = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
        }
        if id_token := request.session.get("oidc_id_token"):
            params["id_token_hint"] = id_token
        auth_logout(request)
        return on_to_campus_logout(
            request, f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
        )
    return password_logout(request)
