from django.urls import path

from . import views, views_measure, views_review

app_name = "workplan"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("measures/<int:pk>/", views_measure.measure_detail, name="measure_detail"),
    path("reports/<int:pk>/", views_measure.report_detail, name="report_detail"),
    path("reviews/<int:pk>/", views_review.review_detail, name="review_detail"),
    path("plans/<int:pk>/reviews/", views_review.review_list, name="review_list"),
    path("plans/<int:pk>/reviews/new/", views_review.review_create, name="review_create"),
    path("reviews/mine/", views_review.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/edit/", views_review.review_edit, name="review_edit"),
    path("reviews/<int:pk>/criteria/", views_review.review_criteria, name="review_criteria"),
    path("reviews/<int:pk>/panel/", views_review.review_panel, name="review_panel"),
    path("reviews/<int:pk>/assign/", views_review.review_assign, name="review_assign"),
    path("reviews/<int:pk>/publish/", views_review.review_publish, name="review_publish"),
    path("reviews/<int:pk>/results/", views_review.review_results, name="review_results"),
    path(
        "reviews/<int:pk>/summary.docx",
        views_review.review_summary_docx,
        name="review_summary_docx",
    ),
    path(
        "reviews/<int:pk>/summary.xlsx",
        views_review.review_summary_xlsx,
        name="review_summary_xlsx",
    ),
    path("assignments/<int:pk>/", views_review.assignment_detail, name="assignment_detail"),
]
