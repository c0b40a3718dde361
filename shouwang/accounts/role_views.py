"""The roles page: admins grant and remove the appointed roles, each change
recorded and audited (accounts.actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest

from .actions import AlreadyHeld, NotHeld, SelfGrant, grant_role, removed_grants, revoke_role
from .actions import role_holders as holders_of
from .models import GRANTED_ROLES, REFERRAL_ROLES, Role
from .role_forms import GrantRoleForm, RevokeRoleForm


def require_role_manager(request: AuthedRequest) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied


def _page(request: AuthedRequest, form: GrantRoleForm) -> HttpResponse:
    sections = [
        {"role": role, "holders": holders_of(role), "reveals_referrals": role in REFERRAL_ROLES}
        for role in GRANTED_ROLES
    ]
    removed = [grant for role in GRANTED_ROLES for grant in removed_grants(role)]
    removed.sort(key=lambda grant: (grant.revoked_at, grant.pk), reverse=True)
    context = {"sections": sections, "removed": removed[:50], "form": form}
    return render(request, "accounts/roles.html", context)


@login_required
@require_GET
def role_list(request: AuthedRequest) -> HttpResponse:
    require_role_manager(request)
    return _page(request, GrantRoleForm())


@login_required
@require_POST
def role_grant(request: AuthedRequest) -> HttpResponse:
    require_role_manager(request)
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        user, role = form.cleaned_data["number"], form.cleaned_data["role"]
        try:
            grant_role(user, role, acting_user=request.user, request=request)
        except SelfGrant:
            form.add_error(None, _("Nobody grants a role to themselves: ask another admin."))
        except AlreadyHeld:
            form.add_error("number", _("%(user)s holds this role already.") % {"user": user})
        else:
            done = _("%(user)s now holds the role %(role)s.")
            messages.success(request, done % {"user": user, "role": role.label})
            return redirect("accounts:role_list")
    return _page(request, form)


@login_required
@require_POST
def role_revoke(request: AuthedRequest) -> HttpResponse:
    require_role_manager(request)
    form = RevokeRoleForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Choose whose role to remove."))
        return redirect("accounts:role_list")
    user, role = form.cleaned_data["user"], form.cleaned_data["role"]
    try:
        revoke_role(user, role, acting_user=request.user, request=request)
    except NotHeld:
        messages.warning(request, _("%(user)s does not hold this role.") % {"user": user})
    else:
        done = _("%(user)s no longer holds the role %(role)s.")
        messages.success(request, done % {"user": user, "role": role.label})
    return redirect("accounts:role_list")
