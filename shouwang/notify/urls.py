from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    # The in-app inbox: a person's own messages only.
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.message_detail, name="message_detail"),
    path("inbox/read-all/", views.mark_all_read, name="mark_all_read"),
    # The outbox's troubles: what the other channels have not delivered yet.
    path("notify/undelivered/", views.undelivered, name="undelivered"),
    # A delivery whose sender died and whose outcome is unknown: a person decides.
    path(
        "notify/undelivered/<int:pk>/resend/",
        views.undelivered_resend,
        name="undelivered_resend",
    ),
    path(
        "notify/undelivered/<int:pk>/delivered/",
        views.undelivered_mark_delivered,
        name="undelivered_mark_delivered",
    ),
]
