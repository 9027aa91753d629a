"""Targeting pages (under /targeting/)."""

from django.urls import path

from onehome.targeting.pages import areas, guide, households, runs

app_name = "targeting"

urlpatterns = [
    path("", runs.index, name="index"),
    path("help/", guide.help_page, name="help"),
    path("import/", runs.import_file, name="import"),
    path("runs/start/", runs.start, name="start"),
    path("runs/<int:run_id>/status/", runs.run_status, name="run_status"),
    path("runs/<int:run_id>/areas/", areas.area, name="nation"),
    # Before the area pattern, which would read "figures.csv" as an area code (and 404).
    path("runs/<int:run_id>/areas/figures.csv", areas.export, name="nation_export"),
    path("runs/<int:run_id>/areas/<str:code>/figures.csv", areas.export, name="area_export"),
    path("runs/<int:run_id>/areas/<str:code>/", areas.area, name="area"),
    path("runs/<int:run_id>/households/", households.target_list, name="target_list"),
    path("runs/<int:run_id>/households/export/", households.export, name="export"),
    path(
        "runs/<int:run_id>/households/<str:household_id>/",
        households.household,
        name="household",
    ),
    path(
        "runs/<int:run_id>/households/<str:household_id>/link/",
        households.link,
        name="link",
    ),
    path("compare/", areas.compare, name="compare"),
    path("compare/households/", households.compare_households, name="compare_households"),
]
