from django.urls import path

from . import views, views_attendance, views_setup, views_supervision

app_name = "teaching"

urlpatterns = [
    path("", views.today, name="today"),
    path("observations/", views_supervision.observation_list, name="observation_list"),
    path("observations/assign/", views_supervision.observation_assign, name="observation_assign"),
    path(
        "observations/<int:pk>/",
        views_supervision.observation_detail,
        name="observation_detail",
    ),
    path("report/", views_supervision.report_page, name="report"),
    path("report/export/", views_supervision.report_export, name="report_export"),
    path("terms/", views_setup.term_list, name="term_list"),
    path("terms/new/", views_setup.term_new, name="term_new"),
    path("terms/<int:pk>/", views_setup.term_edit, name="term_edit"),
    path("terms/<int:pk>/days/new/", views_setup.calendar_day_new, name="calendar_day_new"),
    path(
        "terms/<int:pk>/days/<int:day>/delete/",
        views_setup.calendar_day_delete,
        name="calendar_day_delete",
    ),
    path("timetable/import/", views_setup.timetable_import, name="timetable_import"),
    path(
        "timetable/import/<int:pk>/",
        views_setup.timetable_import_detail,
        name="timetable_import_detail",
    ),
    path(
        "timetable/import/<int:pk>/commit/",
        views_setup.timetable_import_commit,
        name="timetable_import_commit",
    ),
    path("enrolment/import/", views_setup.enrolment_import, name="enrolment_import"),
    path(
        "enrolment/import/<int:pk>/",
        views_setup.enrolment_import_detail,
        name="enrolment_import_detail",
    ),
    path(
        "enrolment/import/<int:pk>/commit/",
        views_setup.enrolment_import_commit,
        name="enrolment_import_commit",
    ),
    path("week/", views.week, name="week"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/platform/", views.class_platform, name="class_platform"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/link/", views.lesson_link, name="lesson_link"),
    path("lessons/<int:pk>/held/", views.lesson_held, name="lesson_held"),
    path("lessons/<int:pk>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:pk>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:pk>/makeup/", views.lesson_makeup, name="lesson_makeup"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("online/", views.go_online, name="go_online"),
    path(
        "lessons/<int:pk>/attendance/upload/",
        views_attendance.attendance_upload,
        name="attendance_upload",
    ),
    path("lessons/<int:pk>/attendance/", views_attendance.attendance_mark, name="attendance_mark"),
    path(
        "attendance-imports/<int:pk>/", views_attendance.attendance_import, name="attendance_import"
    ),
    path(
        "attendance-imports/<int:pk>/commit/",
        views_attendance.attendance_import_commit,
        name="attendance_import_commit",
    ),
    path(
        "attendance-imports/<int:pk>/resolve/",
        views_attendance.attendance_resolve,
        name="attendance_resolve",
    ),
    path("absences/", views_attendance.absences, name="absences"),
    path(
        "students/<int:pk>/attendance/",
        views_attendance.student_attendance,
        name="student_attendance",
    ),
    path("readiness/", views_attendance.readiness, name="readiness"),
    path("readiness/students/", views_attendance.readiness_list, name="readiness_list"),
    path("readiness/<int:pk>/help/", views_attendance.readiness_help, name="readiness_help"),
]
