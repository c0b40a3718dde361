from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/delete/", views.notice_delete, name="notice_delete"),
    path("notices/<int:pk>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    # The author's side: counts that refresh themselves, who is outstanding, 催办.
    path("notices/<int:pk>/progress/", views.notice_progress, name="notice_progress"),
    path("notices/<int:pk>/outstanding/", views.notice_outstanding, name="notice_outstanding"),
    path("notices/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("notices/<int:pk>/files/<int:file_pk>/", views.attachment, name="attachment"),
]
