"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py)."""

from django.urls import path

from onehome.volunteers.visits import api

urlpatterns = [
    path("questionnaire/", api.QuestionnaireView.as_view(), name="visits-questionnaire"),
    path("households/<str:pk>/visits/", api.HouseholdVisitsView.as_view(), name="visits-list"),
    path(
        "households/<str:pk>/record-book/", api.RecordBookView.as_view(), name="visits-record-book"
    ),
    path("help-requests/", api.HelpRequestsView.as_view(), name="help-requests"),
]
