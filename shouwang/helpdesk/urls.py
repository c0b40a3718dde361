from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/claim/", views.request_claim, name="request_claim"),
    path("<int:pk>/reply/", views.request_reply, name="request_reply"),
    path("<int:pk>/status/", views.request_status, name="request_status"),
    path("<int:pk>/confirm/", views.request_confirm, name="request_confirm"),
    path("<int:pk>/reopen/", views.request_reopen, name="request_reopen"),
    path("<int:pk>/reassign/", views.request_reassign, name="request_reassign"),
    path("<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("<int:pk>/files/<int:file_pk>/", views.attachment, name="attachment"),
    path("from-letter/<int:pk>/", views.from_letter, name="from_letter"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
]
