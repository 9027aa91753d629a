"""The signed-in user's own API tokens (under /account/tokens/)."""

from django.urls import path

from . import views

app_name = "tokens"

urlpatterns = [
    path("", views.my_tokens, name="mine"),
]
