from django.urls import path

from . import views, views_decision, views_import, views_measure, views_overview, views_review

app_name = "workplan"

urlpatterns = [
    # The plan and its outline, entered in the page or imported.
    path("", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/areas/new/", views.area_new, name="area_new"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/key-points/new/", views.key_point_new, name="key_point_new"),
    path("key-points/<int:pk>/edit/", views.key_point_edit, name="key_point_edit"),
    path("key-points/<int:pk>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("plans/<int:pk>/import/", views_import.plan_import, name="plan_import"),
    path(
        "plans/<int:pk>/import/template/",
        views_import.plan_import_template,
        name="plan_import_template",
    ),
    path("imports/<int:pk>/", views_import.plan_import_detail, name="plan_import_detail"),
    path("imports/<int:pk>/commit/", views_import.plan_import_commit, name="plan_import_commit"),
    # A measure run as a project.
    path("measures/<int:pk>/", views_measure.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/status/", views_measure.measure_status, name="measure_status"),
    path("measures/<int:pk>/milestones/new/", views_measure.milestone_new, name="milestone_new"),
    path(
        "measures/<int:pk>/milestones/<int:milestone_pk>/done/",
        views_measure.milestone_done,
        name="milestone_done",
    ),
    path(
        "measures/<int:pk>/expenditures/new/",
        views_measure.expenditure_new,
        name="expenditure_new",
    ),
    path(
        "measures/<int:pk>/completion/", views_measure.completion_report, name="completion_report"
    ),
    path(
        "measures/<int:pk>/completion/decide/",
        views_measure.completion_decide,
        name="completion_decide",
    ),
    path("measures/<int:pk>/breakthrough/", views_measure.breakthrough, name="breakthrough"),
    path("evidence/<int:pk>/", views_measure.evidence_download, name="evidence_download"),
    # Progress reports.
    path("reports/", views_measure.report_list, name="report_list"),
    path("reports/<int:pk>/", views_measure.report_detail, name="report_detail"),
    path("reports/<int:pk>/write/", views_measure.report_write, name="report_write"),
    path("reports/<int:pk>/score/", views_measure.report_score, name="report_score"),
    path("report-files/<int:pk>/", views_measure.report_file_download, name="report_file_download"),
    # The leaders' overview, an owner's measures.
    path("plans/<int:pk>/overview/", views_overview.plan_overview, name="plan_overview"),
    path("plans/<int:pk>/export.xlsx", views_overview.plan_export, name="plan_export"),
    path("mine/", views_overview.my_measures, name="my_measures"),
    # The year-end review.
    path("plans/<int:pk>/reviews/", views_review.review_list, name="review_list"),
    path("plans/<int:pk>/reviews/new/", views_review.review_create, name="review_create"),
    path("reviews/mine/", views_review.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views_review.review_detail, name="review_detail"),
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
    # A meeting's decision made work.
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
