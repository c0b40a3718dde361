from django.urls import path

from . import views, views_requests

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    # Requests: ask, decide, issue on a slip, confirm received; help requests turned into one.
    path("requests/", views_requests.request_list, name="request_list"),
    path("requests/new/", views_requests.request_new, name="request_new"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/cancel/", views_requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/decide/", views_requests.request_decide, name="request_decide"),
    path("requests/<int:pk>/issue/", views_requests.request_issue, name="request_issue"),
    path(
        "requests/from-help/<int:pk>/",
        views_requests.request_from_help,
        name="request_from_help",
    ),
    path("slips/<int:pk>/", views_requests.slip_detail, name="slip_detail"),
    path("slips/<int:pk>/pdf/", views_requests.slip_pdf_view, name="slip_pdf"),
    path("slips/<int:pk>/confirm/", views_requests.slip_confirm, name="slip_confirm"),
    path("slips/scan/<str:token>/", views_requests.slip_scan, name="slip_scan"),
]
