from django.urls import URLPattern, path

from . import views_outcomes as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("graduates/", views.graduate_list, name="graduate_list"),
    path("graduates/<int:pk>/", views.graduate_detail, name="graduate_detail"),
    path("graduates/<int:pk>/report/", views.destination_report, name="destination_report"),
    path("graduates/<int:pk>/difficulty/", views.graduate_difficulty, name="graduate_difficulty"),
    path("graduates/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("reports/<int:pk>/confirm/", views.report_confirm, name="report_confirm"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("rates/", views.rates, name="rates"),
    path("rates/export/", views.rates_export, name="rates_export"),
    path("seeking/", views.seeking, name="seeking"),
    path("cohort/", views.cohort, name="cohort"),
]
