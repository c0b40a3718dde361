from django.urls import URLPattern, path

from . import views_outcomes

urlpatterns: list[URLPattern] = [
    path("graduates/<int:pk>/", views_outcomes.graduate_detail, name="graduate_detail"),
]
