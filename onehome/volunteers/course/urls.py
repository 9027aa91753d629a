"""Pages of this room (included by onehome/volunteers/urls.py): a household's course in
the project and the project's progress."""

from django.urls import path

from onehome.volunteers.course import views

urlpatterns = [
    path("course/", views.course_progress, name="course_progress"),
    path(
        "households/<int:household_id>/course/",
        views.course_household,
        name="course_household",
    ),
    path(
        "households/<int:household_id>/course/enrol/",
        views.course_enrol,
        name="course_enrol",
    ),
    path(
        "households/<int:household_id>/course/<str:step>/",
        views.course_step,
        name="course_step",
    ),
]
