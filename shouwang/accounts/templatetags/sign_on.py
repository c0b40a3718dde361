"""The campus sign-on's buttons, for the login page."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..sso import cas_enabled, oidc_enabled

register = template.Library()


@register.inclusion_tag("accounts/includes/sign_on.html")
def sign_on_buttons(next_url: str = "") -> dict:
    """One button per configured provider; none when the college has no campus sign-on."""
    names = [
        name for name, enabled in (("cas", cas_enabled()), ("oidc", oidc_enabled())) if enabled
    ]
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    buttons = []
    for name in names:
        label = _("Log in with campus sign-on")
        if len(names) > 1:
            # A campus with both tells them apart by protocol.
            label = f"{label} ({'CAS' if name == 'cas' else 'OpenID Connect'})"
        buttons.append({"url": reverse(f"accounts:{name}_login") + query, "label": label})
    return {"buttons": buttons}
