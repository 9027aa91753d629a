"""Targeting pages (under /targeting/)."""

from django.urls import path

from . import area_views, household_views, views

app_name = "targeting"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_file, name="import"),
    path("runs/start/", views.start, name="start"),
    path("runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("runs/<int:run_id>/areas/", area_views.area, name="nation"),
    path("runs/<int:run_id>/areas/<str:code>/", area_views.area, name="area"),
    path("runs/<int:run_id>/households/", household_views.target_list, name="target_list"),
    path("runs/<int:run_id>/households/export/", household_views.export, name="export"),
    path(
        "runs/<int:run_id>/households/<str:household_id>/",
        household_views.household,
        name="household",
    ),
    path(
        "runs/<int:run_id>/households/<str:household_id>/link/",
        household_views.link,
        name="link",
    ),
    path("compare/", area_views.compare, name="compare"),
    path("compare/households/", household_views.compare_households, name="compare_households"),
]
