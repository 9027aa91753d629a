"""API routes of this room (included under /api/volunteers/ by onehome/volunteers/api_urls.py)."""

urlpatterns: list = []
