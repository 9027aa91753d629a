"""The notifications page (mounted at /cases/notifications/, its address from before the move)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
