from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("volunteers/", views.team_list, name="team_list"),
    path("volunteers/teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("volunteers/teams/<int:pk>/shifts/new/", views.shift_new, name="shift_new"),
    path("volunteers/shifts/<int:pk>/", views.shift_detail, name="shift_detail"),
    path("volunteers/shifts/<int:pk>/signup/", views.shift_signup, name="shift_signup"),
    path("volunteers/shifts/<int:pk>/withdraw/", views.shift_withdraw, name="shift_withdraw"),
    # The lead's side: who came, and when they left.
    path("volunteers/signups/<int:pk>/check-in/", views.signup_check_in, name="signup_check_in"),
    path("volunteers/signups/<int:pk>/check-out/", views.signup_check_out, name="signup_check_out"),
    path("volunteers/duty/", views.duty_roster, name="duty_roster"),
    path("volunteers/service/", views.service_list, name="service_list"),
    path("volunteers/service/new/", views.service_new, name="service_new"),
    path("volunteers/service/<int:pk>/", views.service_detail, name="service_detail"),
    path("volunteers/service/<int:pk>/review/", views.service_review, name="service_review"),
    path("volunteers/service/<int:pk>/photo/", views.service_photo, name="service_photo"),
]
