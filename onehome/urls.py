"""URL map: pages per app, the REST API under /api/, Django admin for staff."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from onehome.access.policy import public
from onehome.cases.urls import public_urlpatterns

urlpatterns = [
    # The API first: Django tries the patterns in order, and the busiest URLs are the API's
    # (the web pages' include at "" was tried, pattern by pattern, before every API call).
    path("api/", include("onehome.api.urls")),
    path("", include("onehome.web.urls")),
    path("people/", include("onehome.registry.urls")),
    path("directory/", include("onehome.orgs.urls")),
    path("geo/", include("onehome.geo.urls")),
    path("audit/", include("onehome.access.urls")),
    path("account/tokens/", include("onehome.access.tokens.urls")),
    path("signin/", include("onehome.access.signin.urls")),
    path("targeting/", include("onehome.targeting.urls")),
    path("privacy/", include("onehome.privacy.urls")),
    path("volunteers/", include("onehome.volunteers.urls")),
    # The inbox keeps the address it had when it was part of cases.
    path("cases/notifications/", include("onehome.notifications.urls")),
    path("cases/", include("onehome.cases.urls")),
    path("report/", include((public_urlpatterns, "public"))),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# An address no route matches: JSON under /api/ (onehome/api/errors.py).
handler404 = "onehome.api.errors.not_found"
