from django.urls import URLPattern, path

from . import views_counts

urlpatterns: list[URLPattern] = [
    path("counts/", views_counts.counts, name="counts"),
]
