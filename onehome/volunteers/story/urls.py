"""Pages of this room (included by onehome/volunteers/urls.py under /volunteers/)."""

from django.urls import path

from onehome.volunteers.story import views

urlpatterns = [
    path("households/<int:pk>/story/", views.story_page, name="story_household"),
]
