"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("conflicts", api.ConflictViewSet, basename="syncconflict")

urlpatterns: list = [
    path("app/package/", api.PackageView.as_view(), name="volunteer-app-package"),
    path("app/sync/", api.SyncView.as_view(), name="volunteer-app-sync"),
    *router.urls,
]
