from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    # Counts per unit, class and counsellor; the named missing list.
    path("", views.overview, name="overview"),
    path("missing/", views.missing, name="missing"),
    path("missing.xlsx", views.missing_export, name="missing_export"),
]
