from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("isolations/", views.isolation_list, name="isolation_list"),
    path("isolations/new/", views.isolation_new, name="isolation_new"),
    path("isolations/<int:pk>/", views.isolation_detail, name="isolation_detail"),
    path("isolations/<int:pk>/end/", views.isolation_end, name="isolation_end"),
    path("isolations/<int:pk>/log/", views.contact_log, name="contact_log"),
    path("me/", views.mine, name="mine"),
    path("me/meals/<int:pk>/received/", views.delivery_received, name="delivery_received"),
    path("me/meals/<int:pk>/problem/", views.delivery_problem, name="delivery_problem"),
    path("routes/", views.routes, name="routes"),
    path("routes/labels.pdf", views.labels, name="labels"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/claim/", views.delivery_claim, name="delivery_claim"),
    path("deliveries/<int:pk>/confirm/", views.delivery_confirm, name="delivery_confirm"),
    path("deliveries/<int:pk>/handle/", views.delivery_handle, name="delivery_handle"),
    path("deliveries/scan/<str:token>/", views.delivery_scan, name="delivery_scan"),
    path("cards/new/", views.card_new, name="card_new"),
]
