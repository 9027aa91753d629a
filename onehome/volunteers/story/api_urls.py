"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py):
households/<id>/story/, a household's whole story."""

from django.urls import path

from onehome.volunteers.story.api import HouseholdStoryView

urlpatterns = [
    path("households/<int:pk>/story/", HouseholdStoryView.as_view(), name="story_household_api"),
]
