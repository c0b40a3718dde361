from django.urls import path

from . import views

app_name = "teaching"

urlpatterns = [
    path("", views.today, name="today"),
    path("week/", views.week, name="week"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/platform/", views.class_platform, name="class_platform"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/link/", views.lesson_link, name="lesson_link"),
    path("lessons/<int:pk>/held/", views.lesson_held, name="lesson_held"),
    path("lessons/<int:pk>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:pk>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:pk>/makeup/", views.lesson_makeup, name="lesson_makeup"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("online/", views.go_online, name="go_online"),
]
