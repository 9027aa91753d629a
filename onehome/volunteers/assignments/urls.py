"""Pages of this room (included by onehome/volunteers/urls.py under /volunteers/)."""

from django.urls import path

from onehome.volunteers.assignments import views

urlpatterns = [
    path("assignments/bulk/", views.assignments_bulk, name="assignments_bulk"),
    path("assignments/coverage/", views.assignments_coverage, name="assignments_coverage"),
    path(
        "assignments/households/<int:pk>/",
        views.assignments_household,
        name="assignments_household",
    ),
    path(
        "assignments/households/<int:pk>/assign/",
        views.assignments_assign,
        name="assignments_assign",
    ),
    path(
        "assignments/households/<int:pk>/reassign/",
        views.assignments_reassign,
        name="assignments_reassign",
    ),
    path("assignments/<int:pk>/end/", views.assignments_end, name="assignments_end"),
    path("assignments/cases/<int:pk>/", views.assignments_case, name="assignments_case"),
    path(
        "assignments/volunteers/<int:pk>/",
        views.assignments_volunteer,
        name="assignments_volunteer",
    ),
]
