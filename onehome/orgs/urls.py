"""Directory pages (under /directory/)."""

from django.urls import path

from . import picker_views, views

app_name = "orgs"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("pick/", picker_views.pick, name="pick"),
]
