from django.urls import path

from . import role_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    # The appointed roles, granted and removed by admins, each change recorded.
    path("roles/", role_views.role_list, name="role_list"),
    path("roles/grant/", role_views.role_grant, name="role_grant"),
    path("roles/revoke/", role_views.role_revoke, name="role_revoke"),
]
