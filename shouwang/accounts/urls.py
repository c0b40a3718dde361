from django.urls import path

from . import role_views, sso_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", sso_views.logout, name="logout"),
    # Campus sign-on: 404 until its provider is configured (settings.py).
    path("sso/cas/", sso_views.cas_login, name="cas_login"),
    path("sso/oidc/", sso_views.oidc_login, name="oidc_login"),
    path("sso/oidc/callback/", sso_views.oidc_callback, name="oidc_callback"),
    path("password/", views.password_change, name="password_change"),
    # The appointed roles, granted and removed by admins, each change recorded.
    path("roles/", role_views.role_list, name="role_list"),
    path("roles/grant/", role_views.role_grant, name="role_grant"),
    path("roles/revoke/", role_views.role_revoke, name="role_revoke"),
]
