from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    # Flags, what was done about them, the leaders' risky regions, a person's timeline.
    path("", views.flag_list, name="flag_list"),
    path("<int:pk>/", views.flag_detail, name="flag_detail"),
    path("regions/", views.risk_regions, name="risk_regions"),
    path("people/<int:pk>/timeline/", views.timeline, name="timeline"),
]
