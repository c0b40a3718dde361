from django.urls import path

from . import views, views_donations

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", views.request_list, name="request_list"),
]

# Donors and donations: the register, pledges, counting in, photos, the
# thank-you letter and the public disclosure.
urlpatterns += [
    path("donors/", views_donations.donor_list, name="donor_list"),
    path("donors/new/", views_donations.donor_new, name="donor_new"),
    path("donors/<int:pk>/", views_donations.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/edit/", views_donations.donor_edit, name="donor_edit"),
    path("donors/<int:pk>/contact/", views_donations.donor_contact, name="donor_contact"),
    path("donations/", views_donations.donation_list, name="donation_list"),
    path("donations/new/", views_donations.donation_new, name="donation_new"),
    path("donations/<int:pk>/", views_donations.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/count/", views_donations.donation_receive, name="donation_receive"),
    path("donations/<int:pk>/cancel/", views_donations.donation_cancel, name="donation_cancel"),
    path(
        "donations/<int:pk>/photos/", views_donations.donation_photo_add, name="donation_photo_add"
    ),
    path(
        "donations/<int:pk>/photos/<int:photo_pk>/",
        views_donations.donation_photo,
        name="donation_photo",
    ),
    path(
        "donations/<int:pk>/certificate/",
        views_donations.donation_certificate,
        name="donation_certificate",
    ),
    path(
        "donations/<int:pk>/disclosure/",
        views_donations.donation_publish,
        name="donation_publish",
    ),
]
