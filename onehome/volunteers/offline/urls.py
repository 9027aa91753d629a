"""Pages of this room (included by onehome/volunteers/urls.py)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("app/", views.app_page, name="offline_app"),
    path("app/manifest.webmanifest", views.manifest, name="offline_manifest"),
    path("app/sw.js", views.service_worker, name="offline_service_worker"),
    path("conflicts/", views.review_list, name="offline_review"),
    path("conflicts/<int:pk>/resolve/", views.review_resolve, name="offline_resolve"),
]
