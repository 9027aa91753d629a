"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py):
roster/ (volunteer records, and their counts per status) and clubs/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from onehome.volunteers.roster.api import ClubViewSet, VolunteerCountsView, VolunteerViewSet

router = SimpleRouter()
router.register("roster", VolunteerViewSet, basename="volunteer")
router.register("clubs", ClubViewSet, basename="volunteerclub")

urlpatterns = [
    # Before the router's routes: "counts" would otherwise be read as a record's id.
    path("roster/counts/", VolunteerCountsView.as_view(), name="volunteer-counts"),
    *router.urls,
]
