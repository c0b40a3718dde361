"""One shape for every error the API returns:

    {"detail": "Check the fields marked.", "code": "invalid",
     "errors": {"temperature": [{"message": "…", "code": "max_value"}]}}

`detail` is a sentence for a person (in the request's language), `code` a word
for a program, `errors` (422 only) the messages per field, in the shape of a
Django form's `errors.get_json_data()`, whether a form or the request's JSON
types found them. Field names are the body's or the query's own; "__all__"
holds what belongs to no one field. Messages are in the request's language,
the JSON types' too (pydantic writes English only: ours replace its own).

A body that cannot be read at all (a multipart body without its boundary, too
many fields, too large) is a 400 in the same shape, not Django's HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

NON_FIELD = "__all__"
# What ninja's session authentication raises when a POST lacks its CSRF token.
CSRF_FAILED = "CSRF check Failed"
# Where a request's values come from; ninja puts it first in an error's location.
SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")

# pydantic's error types, by their first word ("decimal_parsing", "int_from_float"),
# and what a person is told. Most are Django's own messages, translated by Django.
TYPE_MESSAGES: dict[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "decimal": gettext_lazy("Enter a number."),
    "float": gettext_lazy("Enter a number."),
    "finite": gettext_lazy("Enter a number."),
    "int": gettext_lazy("Enter a whole number."),
    "bool": gettext_lazy("Enter true or false."),
    "uuid": gettext_lazy("Enter a valid UUID."),
    "list": gettext_lazy("Enter a list of values."),
    "string": gettext_lazy("Enter text."),
    "date": gettext_lazy("Enter a valid date."),
    "datetime": gettext_lazy("Enter a valid date/time."),
    "model": gettext_lazy("The body must be a JSON object."),
    "dict": gettext_lazy("The body must be a JSON object."),
    "json": gettext_lazy("The body must be a JSON object."),
}
OTHER_TYPE = gettext_lazy("Enter a valid value.")


class FieldError(Schema):
    message: str
    code: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, list[FieldError]] = {}


def invalid(errors: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The 422 body for field errors ({field: [{"message", "code"}]}, as a form's
    `errors.get_json_data()` gives them)."""
    for messages in errors.values():
        for error in messages:
            # A form's add_error("field", "message") has no code.
            error["code"] = error.get("code") or "invalid"
    return {"detail": _("Check the fields marked."), "code": "invalid", "errors": errors}


def field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """ninja's error location as the field's name: ("body", "payload", "symptoms", 0)
    is "symptoms.0"; ("query", "date") is "date"; the body as a whole is "__all__"."""
    parts = list(location)
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts:
            parts.pop(0)  # the view's parameter name, not the client's business
    return ".".join(str(part) for part in parts) or NON_FIELD


def type_message(error_type: str) -> str:
    """What to tell a person about one of pydantic's error types, in their language."""
    return str(TYPE_MESSAGES.get(error_type.split("_")[0], OTHER_TYPE))


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def install(api: NinjaAPI) -> None:
    """Answer every error of `api` in the shape above."""

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[dict[str, str]]] = {}
        for error in exc.errors:
            kind = error.get("type", "invalid")
            errors.setdefault(field_name(error.get("loc", ())), []).append(
                {"message": type_message(kind), "code": kind}
            )
        return api.create_response(request, invalid(errors), status=422)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(api, request, 401, _("Log in first."), "not_authenticated")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and str(exc) == CSRF_FAILED:
            return _error(
                api,
                request,
                403,
                _("CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."),
                "csrf_failed",
            )
        if exc.status_code == 400:
            # ninja's "Cannot parse request body": bad input like any other.
            body = {NON_FIELD: [{"message": _("The body must be a JSON object."), "code": "json"}]}
            return api.create_response(request, invalid(body), status=422)
        return _error(api, request, exc.status_code, str(exc), "error")

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(SuspiciousOperation)
    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django would log the traceback of a client's mistake as a server error;
        # a line for the operator is enough, where Django's security log puts it.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning(
            "%s: %s", request.path, exc
        )
        return _error(api, request, 400, _("The request's body could not be read."), "bad_request")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, _("Not found."), "not_found")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, _("You may not do this."), "forbidden")
