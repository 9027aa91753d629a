"""Pages for people and households (under /people/)."""

from django.urls import path

from . import household_views, picker_views, views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.person_create, name="person_create"),
    path("validate/", views.validate, name="person_validate"),
    path("pick/", picker_views.pick, name="pick"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/move/", views.person_move, name="person_move"),
    path("<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("households/", household_views.household_list, name="households"),
    path("households/new/", household_views.household_create, name="household_create"),
    path("households/<int:pk>/", household_views.household_detail, name="household"),
    path("households/<int:pk>/edit/", household_views.household_edit, name="household_edit"),
    path(
        "households/<int:pk>/members/",
        household_views.household_add_member,
        name="household_add_member",
    ),
]
