from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/phone/", views.person_reveal_phone, name="person_reveal_phone"),
    path("people/<int:pk>/password/", views.person_reset_password, name="person_reset_password"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/<int:pk>/", views.roster_import_detail, name="roster_import_detail"),
    path("roster/import/<int:pk>/commit/", views.roster_import_commit, name="roster_import_commit"),
    path(
        "roster/import/<int:pk>/defaults/",
        views.roster_import_defaults,
        name="roster_import_defaults",
    ),
    path(
        "roster/import/<int:pk>/units/",
        views.roster_import_create_units,
        name="roster_import_create_units",
    ),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/accounts/", views.platform_account_import, name="platform_account_import"),
    path(
        "roster/accounts/template/",
        views.platform_account_template,
        name="platform_account_template",
    ),
    path(
        "roster/accounts/<int:pk>/",
        views.platform_account_import_detail,
        name="platform_account_import_detail",
    ),
    path(
        "roster/accounts/<int:pk>/commit/",
        views.platform_account_import_commit,
        name="platform_account_import_commit",
    ),
]
