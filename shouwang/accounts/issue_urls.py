from django.urls import path

from . import views

app_name = "passwords"
urlpatterns = [
    path("", views.issue_list, name="issue_list"),
    path("<int:pk>/", views.issue_detail, name="issue_detail"),
    path("<int:pk>/sheet/", views.issue_sheet, name="issue_sheet"),
    path("<int:pk>/slips/", views.issue_slips, name="issue_slips"),
]
