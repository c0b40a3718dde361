from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("morning/", views.morning, name="morning"),
    path("morning/remind/", views.morning_remind, name="morning_remind"),
]
