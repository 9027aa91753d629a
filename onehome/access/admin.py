"""Staff administration of users. People and households are deliberately NOT registered
in the admin: every read of personal data goes through the scoped pages and API."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class OneHomeUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("OneHome", {"fields": ("organisation", "roles", "scope_level", "scope_code")}),
    )
    list_display = ("username", "first_name", "last_name", "scope_level", "scope_code", "is_active")
    list_filter = ("scope_level", "is_active", "is_staff")
