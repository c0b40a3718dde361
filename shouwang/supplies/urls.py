from django.urls import path

from . import views, views_donations, views_requests, views_stock

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    # The catalogue, the stores and their ledger (views_stock).
    path("items/", views_stock.item_list, name="item_list"),
    path("items/new/", views_stock.item_new, name="item_new"),
    path("items/<int:pk>/", views_stock.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views_stock.item_edit, name="item_edit"),
    path("stores/", views_stock.store_list, name="store_list"),
    path("stores/new/", views_stock.store_new, name="store_new"),
    path("stores/<int:pk>/", views_stock.store_detail, name="store_detail"),
    path("stores/<int:pk>/edit/", views_stock.store_edit, name="store_edit"),
    path("stores/<int:pk>/minimums/", views_stock.store_minimums, name="store_minimums"),
    path("stores/<int:pk>/movements/", views_stock.movement_list, name="movement_list"),
    path("stores/<int:pk>/receive/", views_stock.stock_receive, name="stock_receive"),
    path("stores/<int:pk>/transfer/", views_stock.stock_transfer, name="stock_transfer"),
    path("stores/<int:pk>/write-off/", views_stock.stock_write_off, name="stock_write_off"),
    path("stores/<int:pk>/stocktake/", views_stock.stocktake_new, name="stocktake_new"),
    path("stocktakes/<int:pk>/", views_stock.stocktake_detail, name="stocktake_detail"),
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
    # Requests: ask, decide, issue on a slip, confirm received; help requests turned into one.
    path("requests/", views_requests.request_list, name="request_list"),
    path("requests/new/", views_requests.request_new, name="request_new"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/cancel/", views_requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/decide/", views_requests.request_decide, name="request_decide"),
    path("requests/<int:pk>/issue/", views_requests.request_issue, name="request_issue"),
    path(
        "requests/from-help/<int:pk>/",
        views_requests.request_from_help,
        name="request_from_help",
    ),
    path("slips/<int:pk>/", views_requests.slip_detail, name="slip_detail"),
    path("slips/<int:pk>/pdf/", views_requests.slip_pdf_view, name="slip_pdf"),
    path("slips/<int:pk>/confirm/", views_requests.slip_confirm, name="slip_confirm"),
    path("slips/scan/<str:token>/", views_requests.slip_scan, name="slip_scan"),
]
