from django.urls import path

from . import views, views_measure, views_overview, views_review

app_name = "workplan"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("measures/<int:pk>/", views_measure.measure_detail, name="measure_detail"),
    path("reports/<int:pk>/", views_measure.report_detail, name="report_detail"),
    path("plans/<int:pk>/overview/", views_overview.plan_overview, name="plan_overview"),
    path("plans/<int:pk>/export.xlsx", views_overview.plan_export, name="plan_export"),
    path("mine/", views_overview.my_measures, name="my_measures"),
    path("reviews/<int:pk>/", views_review.review_detail, name="review_detail"),
]
