"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py):
assignments/ (list, create, reassign, from-case, end, bulk/preview, bulk/confirm, coverage)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from onehome.volunteers.assignments.api import AssignmentViewSet, CoverageView

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("assignments/coverage/", CoverageView.as_view(), name="assignment-coverage"),
    *router.urls,
]
