"""Geography pages (under /geo/): the area picker's suggestions."""

from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("pick/", views.pick, name="pick"),
]
