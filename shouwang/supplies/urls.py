from django.urls import path

from . import views

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", views.request_list, name="request_list"),
]
