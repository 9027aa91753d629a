"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py):
a household's course, enrolment and steps, and the project's progress."""

from django.urls import path

from onehome.volunteers.course import api

urlpatterns = [
    path("course/progress/", api.ProgressView.as_view(), name="course-progress"),
    path("households/<int:household_id>/course/", api.CourseView.as_view(), name="course"),
    path(
        "households/<int:household_id>/course/enrol/",
        api.EnrolView.as_view(),
        name="course-enrol",
    ),
    path(
        "households/<int:household_id>/course/<str:step>/",
        api.CourseStepView.as_view(),
        name="course-step",
    ),
]
