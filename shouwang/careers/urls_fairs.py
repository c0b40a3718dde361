from django.urls import URLPattern, path

from . import views_fairs

urlpatterns: list[URLPattern] = [
    path("fairs/", views_fairs.fair_list, name="fair_list"),
    path("fairs/new/", views_fairs.fair_form, name="fair_form"),
    path("fairs/counts/", views_fairs.fair_counts, name="fair_counts"),
    path("fairs/announce/", views_fairs.fairs_announce, name="fairs_announce"),
    path("fairs/news/", views_fairs.fairs_news, name="fairs_news"),
    path("fairs/<int:pk>/", views_fairs.fair_detail, name="fair_detail"),
    path("fairs/<int:pk>/edit/", views_fairs.fair_edit, name="fair_edit"),
    path("fairs/<int:pk>/room/", views_fairs.fair_room, name="fair_room"),
    path("fairs/<int:pk>/register/", views_fairs.fair_register, name="fair_register"),
    path("fairs/<int:pk>/enter/", views_fairs.fair_enter, name="fair_enter"),
    path("fair-rooms/<int:pk>/code/", views_fairs.fair_room_code, name="fair_room_code"),
    path(
        "fair-rooms/<int:pk>/attendance/",
        views_fairs.fair_attendance_upload,
        name="fair_attendance_upload",
    ),
    path(
        "fair-attendance/<int:pk>/",
        views_fairs.fair_attendance_import,
        name="fair_attendance_import",
    ),
    path(
        "fair-attendance/<int:pk>/commit/",
        views_fairs.fair_attendance_commit,
        name="fair_attendance_commit",
    ),
    path("offers/new/", views_fairs.offer_form, name="offer_form"),
    path("offers/<int:pk>/accept/", views_fairs.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views_fairs.offer_decline, name="offer_decline"),
]
