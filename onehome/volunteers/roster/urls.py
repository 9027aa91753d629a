"""Pages of this room (included by onehome/volunteers/urls.py under /volunteers/)."""

from django.urls import path

from onehome.volunteers.roster import views

urlpatterns = [
    path("roster/", views.roster_list, name="roster_list"),
    path("roster/new/", views.roster_new, name="roster_new"),
    path("roster/clubs/", views.roster_clubs, name="roster_clubs"),
    path("roster/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("roster/<int:pk>/edit/", views.roster_edit, name="roster_edit"),
    path("roster/<int:pk>/trainings/", views.roster_training, name="roster_training"),
    path("roster/<int:pk>/awards/", views.roster_award, name="roster_award"),
    path("roster/<int:pk>/login/", views.roster_login, name="roster_login"),
    path("roster/<int:pk>/status/<str:to_status>/", views.roster_step, name="roster_step"),
    path("me/", views.roster_mine, name="roster_mine"),
]
