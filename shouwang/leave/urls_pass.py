from django.urls import URLPattern, path

from . import views_pass as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/pass/", views.pass_page, name="pass"),
    path("<int:pk>/report-back/", views.report_back, name="report_back"),
    path("<int:pk>/confirm-back/", views.confirm_back, name="confirm_back"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("scan/<str:token>/record/", views.scan_record, name="scan_record"),
    path("overdue/", views.overdue, name="overdue"),
]
