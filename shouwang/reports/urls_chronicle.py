from django.urls import path

from . import views_chronicle as views

urlpatterns: list = [
    path("chronicles/", views.chronicle_list, name="chronicle_list"),
    path("chronicles/draft/", views.chronicle_draft, name="chronicle_draft"),
    path("chronicles/<int:pk>/", views.chronicle, name="chronicle"),
    path("chronicles/<int:pk>/publish/", views.chronicle_publish, name="chronicle_publish"),
    path("chronicles/<int:pk>/refresh/", views.chronicle_refresh, name="chronicle_refresh"),
    path("chronicles/<int:pk>/chronicle.docx", views.chronicle_docx, name="chronicle_docx"),
    path("chronicles/<int:pk>/chronicle.pdf", views.chronicle_pdf, name="chronicle_pdf"),
]
