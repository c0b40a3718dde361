from django.urls import URLPattern, path

from . import views_config, views_requests

urlpatterns: list[URLPattern] = [
    path("", views_requests.index, name="index"),
    path("new/", views_requests.request_new, name="request_new"),
    path("queue/", views_requests.queue, name="queue"),
    path("requests/", views_requests.request_list, name="request_list"),
    path("<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("<int:pk>/edit/", views_requests.request_edit, name="request_edit"),
    path("<int:pk>/decide/", views_requests.decide, name="decide"),
    path("<int:pk>/withdraw/", views_requests.withdraw, name="withdraw"),
    path("<int:pk>/change/", views_requests.request_change, name="request_change"),
    path("files/<int:pk>/", views_requests.attachment, name="attachment"),
    path("kinds/", views_config.kind_list, name="kind_list"),
    path("kinds/new/", views_config.kind_new, name="kind_new"),
    path("kinds/<int:pk>/", views_config.kind_edit, name="kind_edit"),
    path("posts/", views_config.post_list, name="post_list"),
    path("posts/new/", views_config.post_new, name="post_new"),
    path("posts/<int:post>/units/<int:unit>/", views_config.post_holder, name="post_holder"),
]
