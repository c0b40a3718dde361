from django.urls import path

from . import views, views_decision, views_measure, views_review

app_name = "workplan"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("measures/<int:pk>/", views_measure.measure_detail, name="measure_detail"),
    path("reports/<int:pk>/", views_measure.report_detail, name="report_detail"),
    path("reviews/<int:pk>/", views_review.review_detail, name="review_detail"),
    path(
        "plans/<int:plan_pk>/decisions/<int:pk>/milestone/",
        views_decision.decision_milestone,
        name="decision_milestone",
    ),
    path(
        "plans/<int:plan_pk>/decisions/<int:pk>/measure/",
        views_decision.decision_measure,
        name="decision_measure",
    ),
]
