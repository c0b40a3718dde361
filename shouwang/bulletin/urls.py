from django.urls import path

from . import views

app_name = "bulletin"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<slug:slug>/", views.section, name="section"),
    path("a/<int:pk>/", views.article, name="article"),
    path("images/<int:pk>/", views.image, name="image"),
    path("covers/<int:pk>/", views.cover, name="cover"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("mailbox/<slug:slug>/", views.write_letter, name="write_letter"),
    path("letter/", views.letter_lookup, name="letter_lookup"),
    path("letter/<str:code>/", views.letter_status, name="letter_status"),
    path("desk/", views.desk, name="desk"),
    path("desk/new/", views.article_new, name="article_new"),
    path("desk/<int:pk>/", views.article_edit, name="article_edit"),
    path("desk/<int:pk>/publish/", views.article_publish, name="article_publish"),
    path("desk/<int:pk>/unpublish/", views.article_unpublish, name="article_unpublish"),
    path("desk/<int:pk>/images/", views.image_add, name="image_add"),
    path("desk/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("desk/images/<int:pk>/remove/", views.image_remove, name="image_remove"),
    path("desk/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
]
