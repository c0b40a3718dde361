from django.urls import URLPattern, path

from . import views_taking_part as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.activity_form, name="activity_form"),
    path("counts/", views.counts, name="counts"),
    path("record/", views.my_record, name="my_record"),
    path("classes/<int:pk>/record/", views.class_record, name="class_record"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/team/", views.team_form, name="team_form"),
    path("<int:pk>/entry/", views.entry_form, name="entry_form"),
    path("<int:pk>/sessions/new/", views.session_form, name="session_form"),
    path("<int:pk>/external-awards/", views.external_award, name="external_award"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/files/<int:file_pk>/", views.entry_file, name="entry_file"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", views.attendance_upload, name="attendance_upload"),
    path("attendance/<int:pk>/", views.attendance_import, name="attendance_import"),
    path(
        "attendance/<int:pk>/commit/",
        views.attendance_import_commit,
        name="attendance_import_commit",
    ),
]
