from django.urls import path

from . import views

app_name = "teaching"

urlpatterns = [
    path("", views.today, name="today"),
    path(
        "lessons/<int:pk>/attendance/upload/",
        views.attendance_upload,
        name="attendance_upload",
    ),
    path("lessons/<int:pk>/attendance/", views.attendance_mark, name="attendance_mark"),
    path("attendance-imports/<int:pk>/", views.attendance_import, name="attendance_import"),
    path(
        "attendance-imports/<int:pk>/commit/",
        views.attendance_import_commit,
        name="attendance_import_commit",
    ),
    path(
        "attendance-imports/<int:pk>/resolve/",
        views.attendance_resolve,
        name="attendance_resolve",
    ),
    path("absences/", views.absences, name="absences"),
    path(
        "students/<int:pk>/attendance/",
        views.student_attendance,
        name="student_attendance",
    ),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/students/", views.readiness_list, name="readiness_list"),
    path("readiness/<int:pk>/help/", views.readiness_help, name="readiness_help"),
]
