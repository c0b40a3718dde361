from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("health/", views.health, name="health"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
]
