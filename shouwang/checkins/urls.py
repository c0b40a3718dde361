from django.urls import path

from . import views

app_name = "checkins"
urlpatterns = [
    # The person's own daily check-in.
    path("checkin/", views.today, name="today"),
    path("checkin/privacy/", views.privacy, name="privacy"),
]
