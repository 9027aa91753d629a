"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py):
a household's development plan, its goals and proposals, and the overdue follow-ups."""

from django.urls import path

from onehome.volunteers.development import api

urlpatterns = [
    path(
        "households/<int:household_id>/plan/",
        api.HouseholdPlanView.as_view(),
        name="development-plan",
    ),
    path(
        "households/<int:household_id>/plan/proposals/",
        api.ProposalsView.as_view(),
        name="development-proposals",
    ),
    path(
        "households/<int:household_id>/plan/goals/",
        api.HouseholdGoalsView.as_view(),
        name="development-goals",
    ),
    path(
        "households/<int:household_id>/plan/goals/<int:goal_id>/",
        api.HouseholdGoalView.as_view(),
        name="development-goal",
    ),
    path(
        "households/<int:household_id>/plan/goals/<int:goal_id>/<str:step>/",
        api.HouseholdGoalStepView.as_view(),
        name="development-goal-step",
    ),
    path(
        "follow-ups/overdue/",
        api.OverdueFollowUpsView.as_view(),
        name="development-overdue",
    ),
]
