"""Pages of this room (included by onehome/volunteers/urls.py)."""

from django.urls import path

from onehome.volunteers.visits import views

urlpatterns = [
    path("households/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("households/<int:pk>/record-book/", views.record_book, name="visit_record_book"),
    path("households/<int:pk>/help/new/", views.help_new, name="visit_help_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("help-requests/", views.help_list, name="visit_help_list"),
]
