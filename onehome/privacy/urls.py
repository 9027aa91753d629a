"""Pages of the PDPA lifecycle (under /privacy/)."""

from django.urls import path

from onehome.privacy import views
from onehome.privacy.breaches import views as breach_views
from onehome.privacy.requests import views as request_views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person_privacy, name="person"),
    path("people/<int:pk>/consents/", views.consent_add, name="consent_add"),
    path(
        "people/<int:pk>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<int:pk>/requests/", request_views.request_add, name="request_add"),
    path("people/<int:pk>/export/", request_views.person_export, name="export"),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/<int:pk>/erase/", request_views.request_erase, name="request_erase"),
    path("requests/<int:pk>/<str:to_status>/", request_views.request_step, name="request_step"),
    path("breaches/", breach_views.breach_list, name="breaches"),
    path("breaches/<int:pk>/", breach_views.breach_detail, name="breach"),
    path("breaches/<int:pk>/<str:step>/", breach_views.breach_step, name="breach_step"),
]
