from django.urls import URLPattern, path

from . import views_employers as views

urlpatterns: list[URLPattern] = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_form, name="employer_form"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/contact/", views.employer_contact, name="employer_contact"),
    path("employers/import/", views.employer_import, name="employer_import"),
    path(
        "employers/import/template/",
        views.employer_import_template,
        name="employer_import_template",
    ),
    path("employers/import/<int:pk>/", views.employer_import_detail, name="employer_import_detail"),
    path(
        "employers/import/<int:pk>/commit/",
        views.employer_import_commit,
        name="employer_import_commit",
    ),
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_form, name="position_form"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/digest/", views.digest_mute, name="digest_mute"),
]
