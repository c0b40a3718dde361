from django.urls import path

from .views import checkin, compliance, screening

app_name = "checkins"
urlpatterns = [
    # The person's own daily check-in.
    path("checkin/", checkin.today, name="today"),
    path("checkin/privacy/", checkin.privacy, name="privacy"),
    # Compliance: counts per unit, class and counsellor; the named missing list.
    path("compliance/", compliance.overview, name="compliance"),
    path("compliance/missing/", compliance.missing, name="missing"),
    path("compliance/missing.xlsx", compliance.missing_export, name="missing_export"),
    # Screening: flags, what was done about them, a person's timeline.
    path("screening/", screening.flag_list, name="flag_list"),
    path("screening/<int:pk>/", screening.flag_detail, name="flag_detail"),
    path("screening/regions/", screening.risk_regions, name="risk_regions"),
    path("people/<int:pk>/timeline/", screening.timeline, name="timeline"),
]
