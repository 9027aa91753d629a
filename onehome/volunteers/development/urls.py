"""Pages of this room (included by onehome/volunteers/urls.py): a household's development
plan, its goals, and the centre's overdue follow-ups."""

from django.urls import path

from onehome.volunteers.development import views

urlpatterns = [
    path(
        "households/<int:household_id>/plan/",
        views.development_plan,
        name="development_plan",
    ),
    path(
        "households/<int:household_id>/plan/start/",
        views.development_plan_start,
        name="development_plan_start",
    ),
    path(
        "households/<int:household_id>/plan/goals/new/",
        views.development_goal_add,
        name="development_goal_add",
    ),
    path(
        "households/<int:household_id>/plan/goals/<int:goal_id>/",
        views.development_goal_edit,
        name="development_goal_edit",
    ),
    path(
        "households/<int:household_id>/plan/goals/<int:goal_id>/<str:step>/",
        views.development_goal_step,
        name="development_goal_step",
    ),
    path("follow-ups/overdue/", views.development_overdue, name="development_overdue"),
]
