from django.urls import path

from . import views, views_supervision

app_name = "teaching"

urlpatterns = [
    path("", views.today, name="today"),
    path("observations/", views_supervision.observation_list, name="observation_list"),
    path("observations/assign/", views_supervision.observation_assign, name="observation_assign"),
    path(
        "observations/<int:pk>/",
        views_supervision.observation_detail,
        name="observation_detail",
    ),
    path("report/", views_supervision.report_page, name="report"),
    path("report/export/", views_supervision.report_export, name="report_export"),
]
