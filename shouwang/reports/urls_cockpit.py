from django.urls import path

from . import views_cockpit

urlpatterns = [
    # The leaders' cockpit, and one module's figures over a longer trend.
    path("cockpit/", views_cockpit.cockpit_page, name="cockpit"),
    path("cockpit/<slug:key>/", views_cockpit.module_page, name="module"),
]
