from django.urls import path

from . import views, views_meeting

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_open, name="incident_open"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/settings/", views.incident_settings, name="incident_settings"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("incidents/<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("incidents/<int:pk>/tasks/<int:task_pk>/", views.task_detail, name="task_detail"),
    path("incidents/<int:pk>/tasks/<int:task_pk>/assign/", views.task_assign, name="task_assign"),
    path("incidents/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/", views_meeting.meeting_list, name="meeting_list"),
    path("meetings/new/", views_meeting.meeting_new_college, name="meeting_new_college"),
    path("meetings/<int:pk>/", views_meeting.meeting_detail, name="meeting_detail"),
]
