from django.urls import URLPattern, path

from . import views_judging as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/judging/", views.judging_page, name="judging"),
    path("<int:pk>/judging/criteria/", views.judging_criteria, name="judging_criteria"),
    path("<int:pk>/judging/judges/", views.judging_judges, name="judging_judges"),
    path("<int:pk>/judging/assign/", views.judging_assign, name="judging_assign"),
    path("judging/", views.my_judging, name="my_judging"),
    path("judging/sheets/<int:pk>/", views.judge_sheet, name="judge_sheet"),
    path("judging/sheets/<int:pk>/files/<int:file_pk>/", views.sheet_file, name="sheet_file"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/awards/", views.awards, name="awards"),
    path("<int:pk>/results/publish/", views.results_publish, name="results_publish"),
    path("<int:pk>/results/final/", views.results_final, name="results_final"),
    path("<int:pk>/results/objection/", views.objection, name="objection"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("awards/<int:pk>/certificate/", views.certificate, name="certificate"),
]
