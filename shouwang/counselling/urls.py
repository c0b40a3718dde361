from django.urls import path

from . import views

app_name = "counselling"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("access/", views.referral_access, name="referral_access"),
    path("refer/<int:pk>/", views.referral_new, name="referral_new"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("<int:pk>/status/", views.referral_status, name="referral_status"),
]
