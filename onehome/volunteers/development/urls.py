"""Pages of this room (included by onehome/volunteers/urls.py)."""

urlpatterns: list = []
