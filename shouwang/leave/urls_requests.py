from django.urls import URLPattern, path

from . import views_requests as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
]
