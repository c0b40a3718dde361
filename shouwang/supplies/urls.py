from django.urls import path

from . import views, views_stock

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", views.request_list, name="request_list"),
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
